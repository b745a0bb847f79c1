import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  closeAllConnections,
  connectPowerShell,
  fingerprint,
  openConnectionCount,
} from "pulumi-lync-certificates/dist/sshTransport";
import { startBastion } from "./support/bastion";
import { connectionTo, FE01, startFixture, stopFixture, type EmulatorFixture } from "./support/emulatorFixture";
import { assertScriptRoundTrip } from "./support/scriptRoundTrip";

/** powershell.exe processes the emulator's fe01 has started so far. */
function powershellProcesses(fixture: EmulatorFixture): number {
  return fixture.emulator
    .host(FE01)
    .emulator.processLog()
    .filter((p) => /^\S*powershell\.exe/i.test(p.commandLine)).length;
}

describe("sshTransport against the emulator", function () {
  this.timeout(30_000);
  let fixture: EmulatorFixture | undefined;
  before(async () => {
    fixture = await startFixture();
  });
  after(async () => {
    await stopFixture(fixture);
  });
  afterEach(async () => {
    fixture?.emulator.host(FE01).emulator.setFaults([]);
    await closeAllConnections();
  });

  it("runs a script with its parameters and returns its streams and exit code", async () => {
    await assertScriptRoundTrip(await connectPowerShell(connectionTo(fixture!)));
  });

  it("runs a connection's scripts one after another in one powershell.exe, and starts another after one fails", async () => {
    const processes = () => powershellProcesses(fixture!);
    const before = processes();
    const session = await connectPowerShell(connectionTo(fixture!));
    const first = await session.run({ script: "$kept = 'first'; Write-Output $kept" });
    const second = await session.run({
      script: "param([string]$V) Write-Output ([string]($null -eq $kept) + $V)",
      parameters: { V: "!" },
    });
    assert.deepEqual([first.stdout.trim(), second.stdout.trim()], ["first", "True!"], "each script in its own scope");
    assert.equal(processes() - before, 1, "one process for both");
    const failed = await session.run({ script: "throw 'broken'" });
    assert.equal(failed.exitCode, 1);
    assert.match(failed.stderr, /broken/);
    const after = await session.run({ script: "Write-Output 'again'" });
    assert.equal(after.stdout.trim(), "again");
    assert.equal(processes() - before, 2, "a new process after the failed one ended");
  });

  it("reuses one connection per host and user within the process", async () => {
    assert.equal(openConnectionCount(), 0);
    const first = await connectPowerShell(connectionTo(fixture!));
    const second = await connectPowerShell(connectionTo(fixture!));
    await Promise.all([first.run({ script: "Write-Output 1" }), second.run({ script: "Write-Output 2" })]);
    assert.equal(openConnectionCount(), 1);
    await connectPowerShell(connectionTo(fixture!, "fe02.contoso.com"));
    assert.equal(openConnectionCount(), 2);
  });

  it("closes the connection and its powershell.exe once the last caller holding it releases it", async () => {
    const processes = () => powershellProcesses(fixture!);
    const before = processes();
    const first = await connectPowerShell(connectionTo(fixture!));
    const second = await connectPowerShell(connectionTo(fixture!));
    await first.run({ script: "Write-Output 1" });
    first.release();
    first.release();
    await second.run({ script: "Write-Output 2" });
    assert.equal(processes() - before, 1, "the second caller still holds the first's connection and process");
    second.release();
    await new Promise(setImmediate);
    assert.equal(openConnectionCount(), 0);
    const third = await connectPowerShell(connectionTo(fixture!));
    assert.equal((await third.run({ script: "Write-Output 3" })).stdout.trim(), "3");
    assert.equal(processes() - before, 2, "a new connection, with its own process");
  });

  it("accepts the pinned host key and reports the key it saw", async () => {
    const server = fixture!.emulator.servers.find((s) => s.fqdn === FE01)!;
    const session = await connectPowerShell({ ...connectionTo(fixture!), hostKey: `${server.hostKey} fe01` });
    assert.equal(session.hostKey, server.hostKey);
  });

  it("computes the fingerprint OpenSSH's ssh-keygen shows", function () {
    const server = fixture!.emulator.servers.find((s) => s.fqdn === FE01)!;
    const file = join(mkdtempSync(join(tmpdir(), "keygen-")), "key.pub");
    writeFileSync(file, `${server.hostKey}\n`);
    let out: string;
    try {
      out = execFileSync("ssh-keygen", ["-lf", file], { encoding: "utf8" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT" && process.env.CI !== "true") this.skip();
      throw error;
    }
    assert.equal(out.split(" ")[1], fingerprint(server.hostKey));
  });

  it("abandons a command that does not answer within the timeout, with a clear error", async () => {
    fixture!.emulator.host(FE01).emulator.setFaults([{ kind: "hang", command: "Get-CsCertificate" }]);
    const session = await connectPowerShell(connectionTo(fixture!), { commandTimeoutMs: 1500 });
    await assert.rejects(
      session.run({ script: "Import-Module Lync; Get-CsCertificate" }, { what: "reading the assigned certificates" }),
      /reading the assigned certificates on 127\.0\.0\.1:\d+: no answer after 2 s; the script may still be running on the server/,
    );
  });

  it("refuses an answer larger than its limit rather than keep an unbounded buffer", async () => {
    const session = await connectPowerShell(connectionTo(fixture!), { outputLimitBytes: 1024 });
    await assert.rejects(
      session.run({ script: "Write-Output ('x' * 4000)" }, { what: "reading" }),
      /reading on 127\.0\.0\.1:\d+: the script wrote more than 1024 bytes to stdout; the rest was dropped/,
    );
  });

  it("reaches the server through a bastion (connection.proxy), pinning both host keys", async () => {
    const bastion = await startBastion("jump", "jump-pass");
    try {
      const proxy = {
        host: "127.0.0.1",
        port: bastion.port,
        user: "jump",
        password: "jump-pass",
        hostKey: bastion.hostKey,
      };
      const session = await connectPowerShell({ ...connectionTo(fixture!), proxy });
      const output = await session.run({ script: "Write-Output 'through the bastion'" });
      assert.equal(output.stdout.trim(), "through the bastion");
      assert.equal(bastion.forwards, 1);
      await closeAllConnections();
      const other = fixture!.emulator.servers[0].hostKey;
      await assert.rejects(
        connectPowerShell({ ...connectionTo(fixture!), proxy: { ...proxy, hostKey: other } }),
        /connecting to 127\.0\.0\.1: host key mismatch/,
      );
    } finally {
      await closeAllConnections();
      await bastion.stop();
    }
  });

  it("records the bastion's host key on first use and refuses another bastion presenting a different key", async () => {
    const first = await startBastion("jump", "jump-pass");
    const impostor = await startBastion("jump", "jump-pass");
    try {
      const proxy = { host: "127.0.0.1", port: first.port, user: "jump", password: "jump-pass" };
      const session = await connectPowerShell({ ...connectionTo(fixture!), proxy });
      assert.equal(session.proxyHostKey, first.hostKey, "the bastion's key is reported for the state");
      await closeAllConnections();
      await assert.rejects(
        connectPowerShell(
          { ...connectionTo(fixture!), proxy: { ...proxy, port: impostor.port } },
          { recordedProxyHostKey: session.proxyHostKey },
        ),
        /connecting to 127\.0\.0\.1: host key mismatch/,
      );
      assert.equal(impostor.forwards, 0, "nothing was forwarded through the impostor");
    } finally {
      await closeAllConnections();
      await first.stop();
      await impostor.stop();
    }
  });

  it("closes the bastion connection when the tunnel cannot be opened", async () => {
    const bastion = await startBastion("jump", "jump-pass");
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    try {
      const proxy = { host: "127.0.0.1", port: bastion.port, user: "jump", password: "jump-pass" };
      await assert.rejects(
        connectPowerShell({ ...connectionTo(fixture!), port, dialErrorLimit: 2, proxy }),
        /opening a tunnel to 127\.0\.0\.1:\d+ through 127\.0\.0\.1:\d+/,
      );
      for (let i = 0; i < 50 && bastion.clients > 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(bastion.clients, 0, "every bastion connection opened was closed");
    } finally {
      await closeAllConnections();
      await bastion.stop();
    }
  });

  it("fails at once on a private key it cannot read, naming the field, without retrying", async () => {
    const started = Date.now();
    await assert.rejects(
      connectPowerShell({
        ...connectionTo(fixture!),
        password: undefined,
        privateKey: "not a key",
        dialErrorLimit: 10,
      }),
      (error: Error) => {
        assert.match(error.message, /connection\.privateKey for 127\.0\.0\.1:\d+ cannot be read/);
        assert.doesNotMatch(error.message, /reachable|attempts/);
        return true;
      },
    );
    assert.ok(Date.now() - started < 2000);
  });

  it("never lends one caller's logged-in connection to another with other credentials", async () => {
    const session = await connectPowerShell(connectionTo(fixture!));
    assert.ok(session.hostKey);
    await assert.rejects(
      connectPowerShell({ ...connectionTo(fixture!), password: "wrong", dialErrorLimit: 1 }),
      /All configured authentication methods failed/,
    );
    assert.equal(openConnectionCount(), 1);
  });

  it("retries a refused connection dialErrorLimit times, then names host and port", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await assert.rejects(
      connectPowerShell({
        host: "127.0.0.1",
        port,
        user: "lyncadmin",
        password: "x",
        dialErrorLimit: 3,
        perDialTimeout: 2,
      }),
      new RegExp(`connecting to 127\\.0\\.0\\.1:${port} as lyncadmin over SSH failed after 3 attempts: .*ECONNREFUSED`),
    );
  });

  it("fails at once on wrong credentials, without retrying", async () => {
    const started = Date.now();
    await assert.rejects(
      connectPowerShell({ ...connectionTo(fixture!), password: "wrong", dialErrorLimit: 10 }),
      /failed after 1 attempt: All configured authentication methods failed/,
    );
    assert.ok(Date.now() - started < 5000);
  });
});
