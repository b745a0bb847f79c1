import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateParsableEd25519Key } from "lync-server-emulator/dist/emulatorState";
import { encodePowerShellCommand } from "lync-server-emulator/dist/execCommandLine";
import { startEmulator, SAMPLE_TOPOLOGY_PATH, type RunningEmulator } from "lync-server-emulator/dist/index";
import { loadTopology } from "lync-server-emulator/dist/topology";
import { decodeClixml } from "pulumi-lync-certificates/dist/clixml";
import type { LyncServer } from "lync-server-emulator/dist/lyncServer";
import { sshExec, type SshCredentials } from "./sshExec";
import { standInRunner } from "./standInRunner";

describe("SSH front door", function () {
  this.timeout(30_000);
  const userKey = generateParsableEd25519Key();
  const strangerKey = generateParsableEd25519Key();
  const password: SshCredentials = { username: "lyncadmin", password: "Pa55w.rd" };
  const key: SshCredentials = { username: "lyncadmin", privateKey: userKey.private };
  let stateDir: string;
  let emulator: RunningEmulator;
  const fe01 = () => emulator.servers.find((s) => s.fqdn === "fe01.contoso.com")!;
  const dir01 = () => emulator.servers.find((s) => s.fqdn === "dir01.contoso.com")!;
  const host = () => emulator.host("fe01.contoso.com") as LyncServer;
  const sample = loadTopology(SAMPLE_TOPOLOGY_PATH);

  before(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), "front-door-"));
    emulator = await startEmulator({
      stateDir,
      users: [
        { name: "lyncadmin", password: "Pa55w.rd", authorizedKeys: [userKey.public] },
        { name: "helpdesk", password: "other" },
        { name: "ops", authorizedKeys: ["# ops team", `no-pty,from="127.0.0.1" ${userKey.public.trim()} ops@example`] },
      ],
      // Bare command lines need PowerShell as OpenSSH's default shell; the Director keeps Windows' cmd.exe.
      topology: {
        ...sample,
        defaultShell: "powershell",
        pools: sample.pools.map((p) => (p.role === "Director" ? { ...p, defaultShell: "cmd" as const } : p)),
      },
      runScript: standInRunner,
    });
  });
  after(async () => {
    await emulator.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });
  afterEach(() => {
    for (const s of emulator.servers) emulator.host(s.fqdn).emulator.setFaults([]);
  });

  it("serves every server of the topology on its own 127.0.0.1 port with its own host key", () => {
    assert.deepEqual(
      emulator.servers.map((s) => s.fqdn),
      ["fe01.contoso.com", "fe02.contoso.com", "dir01.contoso.com"],
    );
    assert.equal(new Set(emulator.servers.map((s) => s.port)).size, 3);
    assert.equal(new Set(emulator.servers.map((s) => s.hostKey)).size, 3);
    for (const s of emulator.servers) {
      assert.equal(s.host, "127.0.0.1");
      assert.match(s.hostKey, /^ssh-ed25519 AAAA[0-9A-Za-z+/=]+$/);
    }
  });

  it("accepts the right password and presents the advertised host key", async () => {
    const result = await sshExec(fe01(), password, "whoami");
    assert.equal(result.stdout, "CONTOSO\\lyncadmin\r\n");
    assert.equal(result.exitCode, 0);
  });

  it("rejects a wrong password and an unknown user", async () => {
    await assert.rejects(sshExec(fe01(), { username: "lyncadmin", password: "wrong" }, "whoami"), /authentication/i);
    await assert.rejects(sshExec(fe01(), { username: "nobody", password: "Pa55w.rd" }, "whoami"), /authentication/i);
  });

  it("accepts an authorized key and rejects a key that is not authorized", async () => {
    assert.equal((await sshExec(fe01(), key, "whoami")).exitCode, 0);
    await assert.rejects(
      sshExec(fe01(), { username: "lyncadmin", privateKey: strangerKey.private }, "whoami"),
      /authentication/i,
    );
    await assert.rejects(
      sshExec(fe01(), { username: "helpdesk", privateKey: userKey.private }, "whoami"),
      /authentication/i,
    );
  });

  it("runs a plain command line and an -EncodedCommand alike, with CRLF output and the exit code", async () => {
    const script = "echo hello\nwarn careful\nexit 3";
    // A bare command line under a PowerShell default shell; -EncodedCommand through cmd.exe.
    const plain = await sshExec(fe01(), password, script);
    const encoded = await sshExec(
      dir01(),
      password,
      `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${encodePowerShellCommand(script)}`,
    );
    for (const result of [plain, encoded]) {
      assert.equal(result.stdout, "hello\r\n");
      assert.equal(decodeClixml(result.stderr).error, "careful\r\n");
      assert.equal(result.exitCode, 3);
      assert.equal(result.dropped, false);
    }
    assert.equal(plain.stderr, "careful\r\n", "powershell.exe -c writes plain text to stderr");
    assert.match(encoded.stderr, /^#< CLIXML\r\n/, "powershell.exe -EncodedCommand writes CLIXML to stderr");
  });

  it("fails a malformed -EncodedCommand with PowerShell's message and exit code 1", async () => {
    const result = await sshExec(dir01(), password, "powershell -enc @@@");
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /not properly encoded/);
  });

  it("answers a shell request with an explanation instead of a prompt", async () => {
    const { Client } = await import("ssh2");
    const text = await new Promise<string>((resolve, reject) => {
      const client = new Client();
      client
        .on("ready", () =>
          client.shell((error, channel) => {
            if (error) return reject(error);
            let out = "";
            channel.stderr.on("data", (d: Buffer) => (out += d.toString()));
            channel.on("data", (d: Buffer) => (out += d.toString()));
            channel.on("close", () => {
              client.end();
              resolve(out);
            });
          }),
        )
        .on("error", reject)
        .connect({ host: "127.0.0.1", port: fe01().port, username: "lyncadmin", password: "Pa55w.rd" });
    });
    assert.match(text, /exec requests only/);
  });

  it("logs each command with the account, the emulator time and secrets redacted", async () => {
    host().emulator.setTime(new Date("2027-01-02T03:04:05Z"));
    const before = host().emulator.auditLog().length;
    const params = {
      Type: ["Default"],
      Password: "hunter2",
      CaPassword: "x",
      PfxPassword: "y",
      Key: "-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----",
      PrivateKeyExportable: true,
    };
    await sshExec(fe01(), password, `run Request-CsCertificate ${JSON.stringify(params)}`);
    const entry = host().emulator.auditLog()[before];
    assert.equal(entry.command, "Request-CsCertificate");
    assert.equal(entry.user, "CONTOSO\\lyncadmin");
    assert.equal(entry.server, "fe01.contoso.com");
    assert.ok(Math.abs(Date.parse(entry.time) - Date.parse("2027-01-02T03:04:05Z")) < 60_000);
    assert.deepEqual(entry.parameters, {
      Type: ["Default"],
      Password: "***",
      CaPassword: "***",
      PfxPassword: "***",
      Key: "***",
      PrivateKeyExportable: true,
    });
    const onDisk = JSON.parse(readFileSync(path.join(stateDir, "servers", "fe01.contoso.com.json"), "utf8"));
    assert.ok(!JSON.stringify(onDisk.auditLog).includes("hunter2"));
    // A secret typed on the command line is what Windows records as process and script text, redacted nowhere.
    assert.ok(JSON.stringify(onDisk.processLog).includes("hunter2"));
    assert.ok(JSON.stringify(onDisk.scriptBlockLog).includes("hunter2"));
    host().emulator.setTime(new Date());
  });

  it("delays the named command by a latency fault and leaves others alone", async () => {
    host().emulator.setFaults([{ kind: "latency", milliseconds: 400, command: "Import-Module" }]);
    let started = Date.now();
    await sshExec(fe01(), password, "run Import-Module");
    assert.ok(Date.now() - started >= 390, "Import-Module was not delayed");
    started = Date.now();
    await sshExec(fe01(), password, "run Get-CsCertificate");
    assert.ok(Date.now() - started < 390, "Get-CsCertificate was delayed");
  });

  it("drops the connection before the named command: no exit status, no effect, then the fault is spent", async () => {
    host().setServiceState("RTCSRV", "Running");
    host().emulator.setFaults([{ kind: "drop", command: "Stop-CsWindowsService", when: "before" }]);
    const result = await sshExec(fe01(), password, "echo started\nrun Stop-CsWindowsService\necho done");
    assert.equal(result.dropped, true);
    assert.equal(result.exitCode, undefined);
    assert.equal(host().serviceStates().RTCSRV, "Running");
    assert.deepEqual(host().emulator.faults(), []);
    const again = await sshExec(fe01(), password, "run Stop-CsWindowsService\necho done");
    assert.equal(again.exitCode, 0);
    assert.equal(host().serviceStates().RTCSRV, "Stopped");
  });

  it("drops the connection after the named command, keeping and persisting its effect", async () => {
    host().setServiceState("RTCSRV", "Running");
    emulator.save();
    host().emulator.setFaults([{ kind: "drop", command: "stop-cswindowsservice", when: "after", times: 2 }]);
    for (const remaining of [1, 0]) {
      host().setServiceState("RTCSRV", "Running");
      const result = await sshExec(fe01(), password, "run Stop-CsWindowsService\necho done");
      assert.equal(result.dropped, true);
      assert.equal(result.stdout, "");
      assert.equal(host().emulator.faults().length, remaining);
    }
    const onDisk = JSON.parse(readFileSync(path.join(stateDir, "servers", "fe01.contoso.com.json"), "utf8"));
    assert.equal(onDisk.services.RTCSRV, "Stopped");
  });

  it("hangs at the named command until the client gives up, and keeps serving others", async () => {
    host().emulator.setFaults([{ kind: "hang", command: "Set-CsCertificate" }]);
    await assert.rejects(sshExec(fe01(), password, "run Set-CsCertificate", { timeoutMs: 700 }), /timed out/);
    const other = await sshExec(emulator.servers[1], password, "run Set-CsCertificate\necho ok");
    assert.equal(other.stdout, "ok\r\n");
  });

  it("reads the emulator clock in scripts", async () => {
    emulator.host("fe02.contoso.com").emulator.addDays(10);
    const result = await sshExec(emulator.servers[1], password, "now");
    const shown = Date.parse(result.stdout.trim());
    assert.ok(Math.abs(shown - (Date.now() + 10 * 86_400_000)) < 60_000);
  });
});
