// The PowerShell the provider's bootstrap relies on, as Windows PowerShell 5.1 behaves: standard
// input ($input, [Console]::In), -split with a count, multiple assignment, [scriptblock]::Create with
// a hashtable splatted into its param block, exit from inside a script block, native powershell.exe,
// module auto-loading and the script block log.

import assert from "node:assert/strict";
import { StandardInput } from "lync-server-emulator/dist/powershell/standardInput";
import { BOOTSTRAP_SCRIPT, stdinEnvelope } from "pulumi-lync-certificates/dist/remoteInvocation";
import { run } from "./scriptHarness";

describe("PowerShell features of the provider's bootstrap", () => {
  it("enumerates redirected standard input into the top-level $input, one string per line, once", async () => {
    const result = await run('$a = @($input); $a.Count; $a[1]; "again: " + @($input).Count', {
      stdin: StandardInput.of("one\r\ntwo\nthree"),
    });
    assert.equal(result.stdout, "3\ntwo\nagain: 0\n");
  });

  it("reads standard input with [Console]::In.ReadLine() and ReadToEnd()", async () => {
    const result = await run("[Console]::In.ReadLine(); [Console]::In.ReadToEnd().Length", {
      stdin: StandardInput.of("first\nab\ncd"),
    });
    assert.equal(result.stdout, "first\n5\n");
  });

  it("splits into at most the given number of parts and assigns the parts to several variables", async () => {
    const result = await run('$k,$v = "name:a:b:c" -split ":",2; $k; $v; $x,$y,$z = 1,2; $null -eq $z');
    assert.equal(result.stdout, "name\na:b:c\nTrue\n");
  });

  it("binds a splatted hashtable to the param block of a script block made with [scriptblock]::Create", async () => {
    const result = await run(
      "$a = @{ Name = 'fe01'; Count = '2' }; & ([scriptblock]::Create('param([string]$Name, $Count) \"$Name x$Count\"')) @a",
    );
    assert.equal(result.stdout, "fe01 x2\n", result.stderr);
  });

  it("ends the process with `exit` inside a script block, keeping the output written before it", async () => {
    const result = await run("& { 'in'; exit 7; 'never' }; 'after'");
    assert.deepEqual([result.stdout, result.exitCode], ["in\n", 7]);
  });

  it("points an error inside a created script block at that block's own line", async () => {
    const result = await run("$null = 1\n& ([scriptblock]::Create(\"'ok'`nthrow 'bad'\"))");
    assert.equal(result.stdout, "ok\n");
    assert.match(result.stderr, /^bad\nAt line:2 char:1\n\+ throw 'bad'\n/);
    assert.equal(result.exitCode, 1);
  });

  it("runs the bootstrap: the script and its parameters arrive as base64 lines on standard input", async () => {
    const result = await run(BOOTSTRAP_SCRIPT, {
      stdin: StandardInput.of(
        stdinEnvelope({
          script: 'param([string]$Secret, [string]$Other) "$Secret|$Other"',
          parameters: { Secret: "s ü:1", Other: "" },
        }),
      ),
    });
    assert.deepEqual([result.stdout, result.stderr, result.exitCode], ["s ü:1|\n", "", 0]);
  });

  it("logs the text of every script block compiled at run time, never the values bound to it", async () => {
    const logged: string[] = [];
    await run("$t = 'secret'; & ([scriptblock]::Create('param($p) $p')) -p $t; Invoke-Expression '1 + 1'", {
      onScriptBlock: (text) => logged.push(text),
    });
    assert.deepEqual(logged, ["param($p) $p", "1 + 1"]);
  });

  it("starts powershell.exe as a native command: stdout lines as strings, $LASTEXITCODE, and $? from its exit code", async () => {
    const started: string[] = [];
    const result = await run("$o = powershell.exe -NoProfile -c 'x y'; $ok = $?; $o.Count; $LASTEXITCODE; $ok", {
      startProcess: async (commandLine) => {
        started.push(commandLine);
        return { stdout: "a\r\nb\r\n", stderr: "", exitCode: 5 };
      },
    });
    assert.deepEqual(started, ['"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -NoProfile -c "x y"']);
    assert.equal(result.stdout, "2\n5\nFalse\n");
    const failing = await run("powershell.exe -c exit", {
      startProcess: async () => ({ stdout: "", stderr: "", exitCode: 5 }),
    });
    assert.equal(failing.exitCode, 1, "-Command reports a failed native command as 1");
  });

  it("imports an installed module the first time one of its commands runs, through the Import-Module hooks", async () => {
    const hooked: string[] = [];
    const options = { beforeCommand: (name: string) => void hooked.push(name) };
    const without = await run("Get-FakeCertificate", options);
    assert.match(without.stderr, /The term 'Get-FakeCertificate' is not recognized/);
    hooked.length = 0;
    const auto = await run("Get-FakeCertificate | Out-Null; Get-FakeCertificate | Out-Null", {
      ...options,
      autoLoadModules: ["Lync"],
    });
    assert.equal(auto.stderr, "");
    assert.deepEqual(
      hooked.filter((n) => n !== "Out-Null"),
      ["Import-Module", "Get-FakeCertificate", "Get-FakeCertificate"],
    );
    assert.deepEqual(
      auto.records?.filter((r) => r.stream === "progress"),
      [{ stream: "progress", activity: "Preparing modules for first use.", status: " " }],
    );
  });
});
