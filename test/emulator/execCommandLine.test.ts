import assert from "node:assert/strict";
import fc from "fast-check";
import {
  encodePowerShellCommand,
  parseExecCommandLine,
  splitWindowsCommandLine,
} from "lync-server-emulator/dist/execCommandLine";

describe("parseExecCommandLine", () => {
  const script = "Import-Module Lync\n$c = Get-CsCertificate\n@($c) | ConvertTo-Json -Depth 4 # ünïcödé ✓";
  const encoded = encodePowerShellCommand(script);

  const accepted: [string, string][] = [
    ["the documented long form", `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${encoded}`],
    ["short forms and mixed case", `PowerShell -nop -NONI -enc ${encoded}`],
    ["-e", `powershell -e ${encoded}`],
    [
      "-ec with execution policy and output format",
      `powershell.exe -ExecutionPolicy Bypass -OutputFormat Text -ec ${encoded}`,
    ],
    [
      "a full path and unambiguous prefixes",
      `C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -NoProf -NonI -Encoded ${encoded}`,
    ],
  ];
  for (const [name, line] of accepted) {
    it(`decodes -EncodedCommand given with ${name}`, () => {
      assert.deepEqual(parseExecCommandLine(line), { kind: "script", script, viaPowerShellExe: true, encoded: true });
    });
  }

  it("treats anything else as a PowerShell command line, verbatim", () => {
    const line = 'Get-CsCertificate -Type Default,WebServicesInternal | Format-List "Thumbprint"';
    assert.deepEqual(parseExecCommandLine(line), { kind: "script", script: line, viaPowerShellExe: false });
  });

  it("takes -Command's quoted argument, or the rest of the line", () => {
    assert.deepEqual(parseExecCommandLine('powershell -NoProfile -Command "Get-CsCertificate | fl"'), {
      kind: "script",
      script: "Get-CsCertificate | fl",
      viaPowerShellExe: true,
    });
    assert.deepEqual(parseExecCommandLine("powershell -c Get-Item Cert:\\LocalMachine\\My"), {
      kind: "script",
      script: "Get-Item Cert:\\LocalMachine\\My",
      viaPowerShellExe: true,
    });
    assert.deepEqual(parseExecCommandLine("powershell -NoProfile -Command -"), { kind: "stdin" });
    assert.deepEqual(parseExecCommandLine("powershell -nop Get-Date"), {
      kind: "script",
      script: "Get-Date",
      viaPowerShellExe: true,
    });
  });

  it("rejects a value that is not base64 and a missing command", () => {
    const bad = parseExecCommandLine("powershell -EncodedCommand not*base64");
    assert.equal(bad.kind, "error");
    assert.match((bad as { message: string }).message, /not properly encoded/);
    assert.equal(parseExecCommandLine("powershell -NoProfile -EncodedCommand").kind, "error");
    assert.equal(parseExecCommandLine("powershell.exe -NoProfile").kind, "error");
    assert.equal(parseExecCommandLine(`powershell -OutputFormat XML -enc ${encoded}`).kind, "error");
    assert.equal(parseExecCommandLine(`powershell -OutputFormat Json -enc ${encoded}`).kind, "error");
  });

  it("decodes every script encodePowerShellCommand encodes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }), (text) => {
        const parsed = parseExecCommandLine(
          `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${encodePowerShellCommand(text)}`,
        );
        assert.deepEqual(parsed, { kind: "script", script: text, viaPowerShellExe: true, encoded: true });
      }),
    );
  });

  it("splits command lines by CommandLineToArgvW's quoting rules", () => {
    assert.deepEqual(
      splitWindowsCommandLine('a "b c" d\\"e "f\\\\" g').map((t) => t.value),
      ["a", "b c", 'd"e', "f\\", "g"],
    );
  });
});
