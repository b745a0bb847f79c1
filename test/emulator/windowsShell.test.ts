// Exec requests as Windows OpenSSH and Windows PowerShell 5.1 run them: the default shell, the
// command-line limits, standard input, CLIXML on stderr, module auto-loading and the two records
// Windows keeps (process creation, script block logging), driven by the provider's own bootstrap.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodePowerShellCommand } from "lync-server-emulator/dist/execCommandLine";
import { startEmulator, SAMPLE_TOPOLOGY_PATH, type RunningEmulator } from "lync-server-emulator/dist/index";
import type { ProcessLogEntry, ScriptBlockLogEntry } from "lync-server-emulator/dist/lyncHost";
import { encodeClixml } from "lync-server-emulator/dist/powershell/clixml";
import { loadTopology } from "lync-server-emulator/dist/topology";
import { decodeClixml } from "pulumi-lync-certificates/dist/clixml";
import {
  BOOTSTRAP_COMMAND_LINE,
  BOOTSTRAP_SCRIPT,
  stdinEnvelope,
} from "pulumi-lync-certificates/dist/remoteInvocation";
import { sshExec, type SshCredentials } from "./sshExec";

const POWERSHELL = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";
const SECRET = "Tr0ub4dor&3 <not-in-any-log>";

describe("exec requests as Windows OpenSSH and PowerShell 5.1 run them", function () {
  this.timeout(60_000);
  const login: SshCredentials = { username: "lyncadmin", password: "Pa55w.rd" };
  let stateDir: string;
  let emulator: RunningEmulator;
  // The Front End pool runs exec requests through PowerShell, the Director through Windows' default cmd.exe.
  const serverOf = (shell: "cmd" | "powershell") =>
    emulator.servers.find((s) => s.fqdn === (shell === "cmd" ? "dir01.contoso.com" : "fe01.contoso.com"))!;
  const logsOf = (shell: "cmd" | "powershell") => {
    const control = emulator.host(serverOf(shell).fqdn).emulator;
    return { processes: control.processLog(), scriptBlocks: control.scriptBlockLog() };
  };
  const bootstrap = (shell: "cmd" | "powershell", script: string, parameters?: Record<string, string>) =>
    sshExec(serverOf(shell), login, BOOTSTRAP_COMMAND_LINE, { stdin: stdinEnvelope({ script, parameters }) });

  before(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), "windows-shell-"));
    const sample = loadTopology(SAMPLE_TOPOLOGY_PATH);
    emulator = await startEmulator({
      stateDir,
      users: [{ name: "lyncadmin", password: "Pa55w.rd" }],
      topology: {
        ...sample,
        pools: sample.pools.map((p) => (p.role === "FrontEnd" ? { ...p, defaultShell: "powershell" as const } : p)),
      },
    });
  });
  after(async () => {
    await emulator.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });
  afterEach(() => {
    for (const s of emulator.servers) emulator.host(s.fqdn).emulator.setFaults([]);
  });

  for (const shell of ["cmd", "powershell"] as const) {
    describe(`the provider's bootstrap under a ${shell} default shell`, () => {
      it("binds the script's string parameters from standard input and runs Cs cmdlets without Import-Module", async () => {
        const result = await bootstrap(
          shell,
          'param([string]$Secret)\n"length $($Secret.Length)"\n(Get-CsCertificate -Type Default).Use',
          { Secret: SECRET },
        );
        assert.equal(result.stdout, `length ${SECRET.length}\r\nDefault\r\n`, result.stderr);
        assert.equal(result.exitCode, 0);
        assert.equal(decodeClixml(result.stderr).error, "");
      });

      it(
        shell === "cmd"
          ? "ends with the exit code of `exit 3` inside the script"
          : "ends with 1 after `exit 3` inside the script: powershell.exe -c maps a native command's failure to 1",
        async () => {
          const result = await bootstrap(shell, "'before'\nexit 3\n'after'");
          assert.equal(result.stdout, "before\r\n");
          // about_PowerShell_exe (5.1): -Command's exit code is 0 or 1 from $?; `exit $LASTEXITCODE` would keep it.
          assert.equal(result.exitCode, shell === "cmd" ? 3 : 1);
        },
      );

      it("ends a terminating error with exit code 1 and CLIXML that decodes to the text a console shows", async () => {
        const script = "throw 'the certificate is gone'";
        const result = await bootstrap(shell, script);
        assert.equal(result.exitCode, 1);
        assert.match(
          result.stderr,
          /^#< CLIXML\r\n<Objs Version="1\.1\.0\.1" xmlns="http:\/\/schemas\.microsoft\.com\/powershell\/2004\/04">/,
        );
        // The same script run with -Command writes plain text: what a console shows.
        const plain = await sshExec(
          serverOf("cmd"),
          login,
          `powershell.exe -NoProfile -NonInteractive -Command "${script}"`,
        );
        assert.ok(!plain.stderr.startsWith("#< CLIXML"), plain.stderr);
        assert.match(plain.stderr, /^the certificate is gone\r\nAt line:1 char:1\r\n/);
        assert.equal(decodeClixml(result.stderr).error, plain.stderr);
      });

      it("records only the constant command line as processes, and script text but never a parameter value", async () => {
        const before = logsOf(shell);
        const script = "param([string]$Secret)\n$null = $Secret";
        const result = await bootstrap(shell, script, { Secret: SECRET });
        assert.equal(result.exitCode, 0, result.stderr);
        const after = logsOf(shell);
        const processes = after.processes.slice(before.processes.length).map((e) => e.commandLine);
        const encoded = BOOTSTRAP_COMMAND_LINE.slice(BOOTSTRAP_COMMAND_LINE.lastIndexOf(" ") + 1);
        assert.deepEqual(
          processes,
          shell === "cmd"
            ? [`"C:\\Windows\\System32\\cmd.exe" /c "${BOOTSTRAP_COMMAND_LINE}"`, BOOTSTRAP_COMMAND_LINE]
            : [
                `"${POWERSHELL}" -c "${BOOTSTRAP_COMMAND_LINE}"`,
                `"${POWERSHELL}" -NoProfile -NonInteractive -EncodedCommand ${encoded}`,
              ],
        );
        const blocks = after.scriptBlocks.slice(before.scriptBlocks.length).map((e) => e.text);
        assert.ok(blocks.includes(BOOTSTRAP_SCRIPT), "the bootstrap is logged as compiled");
        assert.ok(blocks.includes(script), "the script read from stdin is logged as compiled");
        const everything = JSON.stringify([after.processes, after.scriptBlocks]);
        assert.ok(!everything.includes(SECRET) && !everything.includes(Buffer.from(SECRET).toString("base64")));
      });
    });
  }

  it("returns both logs as JSON through the emulator cmdlets and keeps them with the server's state", async () => {
    await bootstrap("powershell", "'logged'");
    const processes = JSON.parse(
      (await sshExec(serverOf("powershell"), login, "Get-EmulatorProcessLog")).stdout,
    ) as ProcessLogEntry[];
    const blocks = JSON.parse(
      (await sshExec(serverOf("powershell"), login, "Get-EmulatorScriptBlockLog")).stdout,
    ) as ScriptBlockLogEntry[];
    assert.ok(processes.some((e) => e.commandLine === `"${POWERSHELL}" -c Get-EmulatorProcessLog`));
    assert.ok(blocks.some((e) => e.text === "'logged'"));
    for (const e of [...processes, ...blocks]) assert.ok(!Number.isNaN(Date.parse(e.time)));
    const onDisk = JSON.parse(readFileSync(path.join(stateDir, "servers", "fe01.contoso.com.json"), "utf8"));
    const control = emulator.host("fe01.contoso.com").emulator;
    assert.deepEqual([onDisk.processLog, onDisk.scriptBlockLog], [control.processLog(), control.scriptBlockLog()]);
  });

  it("reads standard input with [Console]::In.ReadToEnd() and enumerates it line by line into $input", async () => {
    const readAll = await sshExec(
      serverOf("cmd"),
      login,
      `powershell.exe -EncodedCommand ${encodePowerShellCommand("$all = [Console]::In.ReadToEnd(); $all.Length")}`,
      { stdin: "ab\ncd\n" },
    );
    assert.equal(readAll.stdout, "6\r\n", readAll.stderr);
    const lines = await sshExec(
      serverOf("cmd"),
      login,
      `powershell.exe -EncodedCommand ${encodePowerShellCommand("$l = @($input); $l.Count; $l[1]")}`,
      { stdin: "one\r\ntwo\n" },
    );
    assert.equal(lines.stdout, "2\r\ntwo\r\n", lines.stderr);
  });

  it("runs the script read from standard input with -Command -", async () => {
    const result = await sshExec(serverOf("cmd"), login, "powershell -NoProfile -Command -", {
      stdin: '$x = 40 + 2\n"answer $x"\n',
    });
    assert.equal(result.stdout, "answer 42\r\n", result.stderr);
    assert.equal(result.exitCode, 0);
  });

  it("refuses a command line over 8,191 characters in cmd.exe, and over 32,767 at process creation", async () => {
    const long = `powershell.exe -EncodedCommand ${encodePowerShellCommand(`'${"x".repeat(3100)}'.Length`)}`;
    assert.ok(long.length > 8191 && long.length < 32_767);
    const refused = await sshExec(serverOf("cmd"), login, long);
    assert.deepEqual([refused.exitCode, refused.stderr, refused.stdout], [1, "The command line is too long.\r\n", ""]);
    // PowerShell has no 8,191 limit of its own: the same line passes under a PowerShell default shell.
    const passed = await sshExec(serverOf("powershell"), login, long);
    assert.equal(passed.stdout, "3100\r\n", passed.stderr);
    // A powershell.exe started by PowerShell is held to the same 32,767 as any process.
    const child = await sshExec(serverOf("powershell"), login, "powershell.exe -c ('1' * 32800); $LASTEXITCODE");
    assert.match(child.stderr, /^Program 'powershell\.exe' failed to run: The filename or extension is too long\./);
    assert.equal(child.stdout, "1\r\n");
    // sshd cannot create a shell process with a longer line: the exec request itself fails.
    await assert.rejects(sshExec(serverOf("powershell"), login, `'${"y".repeat(32_800)}'`), /exec/i);
  });

  it("answers an unknown program as cmd.exe does and refuses what its cmd.exe does not model", async () => {
    const unknown = await sshExec(serverOf("cmd"), login, "Get-CsCertificate");
    assert.equal(unknown.exitCode, 9009);
    assert.equal(
      unknown.stderr,
      "'Get-CsCertificate' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n",
    );
    const piped = await sshExec(serverOf("cmd"), login, "powershell -c Get-Date | findstr 20");
    assert.equal(piped.exitCode, 1);
    assert.match(piped.stderr, /does not model '\|'/);
    const full = await sshExec(
      serverOf("cmd"),
      login,
      '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\POWERSHELL.EXE" -c 6*7',
    );
    assert.equal(full.stdout, "42\r\n", full.stderr);
  });

  it("auto-loads the Lync module on first use with Import-Module's latency, audit entry and progress record", async () => {
    const fe02 = emulator.servers.find((s) => s.fqdn === "fe02.contoso.com")!;
    const control = emulator.host(fe02.fqdn).emulator;
    control.setFaults([{ kind: "latency", milliseconds: 400, command: "Import-Module" }]);
    const auditBefore = control.auditLog().length;
    const started = Date.now();
    const result = await sshExec(fe02, login, BOOTSTRAP_COMMAND_LINE, {
      stdin: stdinEnvelope({ script: "(Get-CsCertificate -Type Default).Use; (Get-CsCertificate -Type Default).Use" }),
    });
    assert.ok(Date.now() - started >= 390, "the first Cs cmdlet did not pay the module's load time");
    assert.equal(result.stdout, "Default\r\nDefault\r\n", result.stderr);
    assert.deepEqual(
      control
        .auditLog()
        .slice(auditBefore)
        .map((e) => e.command),
      ["Import-Module", "Get-CsCertificate", "Get-CsCertificate"],
    );
    assert.match(result.stderr, /<Obj S="progress" RefId="0">.*<AV>Preparing modules for first use\.<\/AV>/);
    assert.deepEqual(decodeClixml(result.stderr), { error: "", warning: "", other: "" });
    // Explicit Import-Module keeps working, and a plain -c run writes no progress record.
    const explicit = await sshExec(fe02, login, "Import-Module Lync; @(Get-CsCertificate).Count");
    assert.deepEqual([explicit.stdout, explicit.stderr], ["3\r\n", ""]);
  });

  it("writes plain text to stderr for powershell.exe -c, as Windows does without an XML switch", async () => {
    const result = await sshExec(serverOf("powershell"), login, "Write-Warning 'careful'; Write-Verbose 'v' -Verbose");
    assert.equal(result.stderr, "WARNING: careful\r\nVERBOSE: v\r\n");
  });
});

describe("CLIXML on stderr", () => {
  it("escapes markup, control characters and a literal _x so the provider's decoder gets the text back", () => {
    const text = "a <b> & c\td _x0041_ \u0007";
    const stderr = encodeClixml([
      { stream: "warning", text },
      { stream: "error", text: "line one\nline two\n" },
      { stream: "verbose", text: "v" },
    ]);
    assert.equal(
      stderr,
      '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">' +
        '<S S="warning">a &lt;b&gt; &amp; c_x0009_d _x005F_x0041_ _x0007_</S>' +
        '<S S="Error">line one_x000D__x000A_</S><S S="Error">line two_x000D__x000A_</S>' +
        '<S S="verbose">v</S></Objs>',
    );
    // Warning and verbose records carry no line end of their own: the decoder gives each its line.
    assert.deepEqual(decodeClixml(stderr), {
      error: "line one\r\nline two\r\n",
      warning: `${text}\r\n`,
      other: "v\r\n",
    });
  });

  it("writes nothing when no stream has a record", () => {
    assert.equal(encodeClixml([]), "");
  });
});
