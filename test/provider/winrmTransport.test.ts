import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { closeAllShells, connectWinrmPowerShell, openShellCount } from "pulumi-lync-certificates/dist/winrmTransport";
import {
  assignments,
  connectionTo,
  FE01,
  startFixture,
  stopFixture,
  type EmulatorFixture,
} from "./support/emulatorFixture";
import { assertScriptRoundTrip } from "./support/scriptRoundTrip";

describe("winrmTransport against the emulator", function () {
  this.timeout(30_000);
  let fixture: EmulatorFixture | undefined;
  const winrm = (fqdn = FE01) => connectionTo(fixture!, fqdn, "winrm");
  const server = (fqdn = FE01) => fixture!.emulator.servers.find((s) => s.fqdn === fqdn)!;
  before(async () => {
    fixture = await startFixture();
  });
  after(async () => {
    await stopFixture(fixture);
  });
  afterEach(async () => {
    fixture?.emulator.host(FE01).emulator.setFaults([]);
    await closeAllShells();
  });

  it("runs a script with its parameters and returns its streams and exit code", async () => {
    await assertScriptRoundTrip(await connectWinrmPowerShell(winrm()));
  });

  it("carries a script larger than one envelope through several Sends", async () => {
    const session = await connectWinrmPowerShell(winrm());
    const big = "x".repeat(400_000);
    const output = await session.run({
      script: "param([string]$Big)\nWrite-Output $Big.Length",
      parameters: { Big: big },
    });
    assert.equal(output.stdout.trim(), String(big.length));
  });

  it("logs in with Basic for a local account", async () => {
    const session = await connectWinrmPowerShell({ ...winrm(), authentication: "basic" });
    assert.equal((await session.run({ script: "Write-Output 7" })).stdout.trim(), "7");
  });

  it("keeps one shell per server and user, and records the listener's certificate", async () => {
    assert.equal(openShellCount(), 0);
    const first = await connectWinrmPowerShell(winrm());
    const second = await connectWinrmPowerShell(winrm());
    await Promise.all([first.run({ script: "Write-Output 1" }), second.run({ script: "Write-Output 2" })]);
    assert.equal(openShellCount(), 1);
    await connectWinrmPowerShell(winrm("fe02.contoso.com"));
    assert.equal(openShellCount(), 2);
    assert.equal(first.hostKey, `tls-sha256 ${server().winrmCertificateSha256}`);
  });

  it("deletes the shell once the last caller holding it releases it", async () => {
    const first = await connectWinrmPowerShell(winrm());
    const second = await connectWinrmPowerShell(winrm());
    await first.run({ script: "Write-Output 1" });
    first.release();
    first.release();
    await new Promise(setImmediate);
    assert.equal(openShellCount(), 1, "the second caller still holds the shell");
    assert.equal((await second.run({ script: "Write-Output 2" })).stdout.trim(), "2");
    second.release();
    await new Promise(setImmediate);
    assert.equal(openShellCount(), 0);
    const third = await connectWinrmPowerShell(winrm());
    assert.equal((await third.run({ script: "Write-Output 3" })).stdout.trim(), "3");
  });

  it("records the fingerprint openssl shows for the listener's certificate", async function () {
    // Asynchronously: the emulator answers the handshake from this very process.
    let fingerprint: string;
    try {
      const pem = await openssl(["s_client", "-connect", `127.0.0.1:${server().winrmPort}`]);
      fingerprint = (await openssl(["x509", "-noout", "-fingerprint", "-sha256"], pem)).trim().split("=")[1];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT" && process.env.CI !== "true") this.skip();
      throw error;
    }
    const { certificateFingerprint: _pin, ...unpinned } = winrm();
    const session = await connectWinrmPowerShell(unpinned);
    assert.equal(session.hostKey, `tls-sha256 ${fingerprint}`);
  });

  it("refuses a listener whose certificate is not the pinned one, and opens no shell", async () => {
    const wrong = "00:".repeat(31) + "00";
    await assert.rejects(connectWinrmPowerShell({ ...winrm(), certificateFingerprint: wrong }), (error: Error) => {
      assert.match(error.message, /TLS certificate mismatch: expected SHA-256 00:00/);
      assert.match(error.message, new RegExp(`presented ${server().winrmCertificateSha256}`));
      assert.match(error.message, /update connection\.certificateFingerprint/);
      return true;
    });
    assert.equal(openShellCount(), 0);
  });

  it("refuses a listener whose certificate differs from the one recorded at create", async () => {
    const recorded = `tls-sha256 ${"AB:".repeat(31)}AB`;
    const { certificateFingerprint: _pin, ...unpinned } = winrm();
    await assert.rejects(
      connectWinrmPowerShell(unpinned, { recordedHostKey: recorded }),
      /differs from the one recorded when the resource was created/,
    );
    const session = await connectWinrmPowerShell(unpinned, {
      recordedHostKey: `tls-sha256 ${server().winrmCertificateSha256}`,
    });
    assert.equal((await session.run({ script: "Write-Output ok" })).stdout.trim(), "ok");
  });

  it("accepts any certificate under insecure, and says so in the identity it records", async () => {
    const { certificateFingerprint: _pin, ...unpinned } = winrm();
    const session = await connectWinrmPowerShell({ ...unpinned, insecure: true }, { recordedHostKey: "tls-sha256 00" });
    assert.match(session.hostKey, / unverified$/);
  });

  it("fails at once on a wrong password, naming the user and the fields to check", async () => {
    const started = Date.now();
    await assert.rejects(
      connectWinrmPowerShell({ ...winrm(), password: "wrong", dialErrorLimit: 10 }),
      /over WinRM failed after 1 attempt: the server refused the NTLM logon of "lyncadmin" \(HTTP 401\): check connection\.user and connection\.password/,
    );
    assert.ok(Date.now() - started < 5000);
    assert.equal(openShellCount(), 0);
  });

  it("refuses WinRM's plain-HTTP listener without sending credentials", async () => {
    await assert.rejects(
      connectWinrmPowerShell({ ...winrm(), port: server().winrmHttpPort, dialErrorLimit: 5 }),
      /failed after 1 attempt: .* does not speak TLS \(is it WinRM's HTTP listener, port 5985\?\)/,
    );
  });

  it("abandons a command that does not answer within the timeout, with a clear error, and nothing is assigned", async () => {
    const before = assignments(fixture!);
    fixture!.emulator.host(FE01).emulator.setFaults([{ kind: "hang", command: "Set-CsCertificate" }]);
    const session = await connectWinrmPowerShell(winrm(), { commandTimeoutMs: 1500 });
    await assert.rejects(
      session.run(
        { script: `Import-Module Lync; Set-CsCertificate -Type WebServicesExternal -Thumbprint ${before.Default}` },
        { what: "assigning certificates" },
      ),
      /assigning certificates on 127\.0\.0\.1:\d+ over WinRM: no answer after 2 s; the script may still be running on the server/,
    );
    fixture!.emulator.host(FE01).emulator.setFaults([]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(assignments(fixture!), before);
  });
});

/** Runs openssl with `input` on its standard input and returns what it printed. */
function openssl(args: string[], input = ""): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile("openssl", args, { encoding: "utf8" }, (error, stdout) =>
      error && !stdout ? reject(error) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}
