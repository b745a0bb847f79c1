import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quotePowerShell } from "../../provider/quotePowerShell";
import { closeAllConnections, connectPowerShell, fingerprint, openConnectionCount } from "../../provider/sshTransport";
import { startBastion } from "./support/bastion";
import { connectionTo, FE01, startFixture, stopFixture, type EmulatorFixture } from "./support/emulatorFixture";

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
    const session = await connectPowerShell(connectionTo(fixture!));
    // Unquoted, ‘ would end the literal: PowerShell treats it as a single quote.
    const ok = await session.run({
      script: `param([string]$Value)\nWrite-Output ${quotePowerShell("it's ‘quoted’")}\nWrite-Output $Value`,
      parameters: { Value: "bound ‘as data’ é" },
    });
    assert.deepEqual(
      { ...ok, stdout: ok.stdout.trim().split(/\r?\n/) },
      { stdout: ["it's ‘quoted’", "bound ‘as data’ é"], stderr: "", warnings: "", exitCode: 0 },
    );
    const failed = await session.run({ script: "Import-Module NoSuchModule" });
    assert.equal(failed.exitCode, 1);
    assert.match(failed.stderr, /NoSuchModule/);
    assert.doesNotMatch(failed.stderr, /CLIXML|<Objs|_x000D_/, "the error reads as a console shows it");
    const exited = await session.run({ script: "Write-Warning 'careful'; exit 3" });
    assert.equal(exited.exitCode, 3);
    assert.match(exited.warnings, /careful/);
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
