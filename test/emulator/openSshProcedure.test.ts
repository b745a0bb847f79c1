// The acceptance test of issue 3: OpenSSH's own `ssh` client runs every command of the manual
// mobility procedure (reference notes) verbatim against the sample topology, and the issued
// certificates are checked with openssl.

import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { encodePowerShellCommand } from "lync-server-emulator/dist/execCommandLine";
import { startEmulator, SAMPLE_TOPOLOGY_PATH, type RunningEmulator } from "lync-server-emulator/dist/index";
import { loadTopology } from "lync-server-emulator/dist/topology";
import { decodeClixml } from "pulumi-lync-certificates/dist/clixml";
import type { CertType, LyncHost } from "lync-server-emulator/dist/lyncHost";
import { requireTool } from "./requireTool";

const run = promisify(execFile);
// The procedure as on Lync Server 2013 (the sample's servers); productVersions.test.ts covers SfB's module.
const MODULE = "Lync";
const PASSWORD = "Pa55w.rd";

describe("the manual procedure over OpenSSH", function () {
  this.timeout(120_000);
  let dir: string;
  let emulator: RunningEmulator;
  let keyFile: string;
  let askPass: string;
  let knownHosts: string;
  let fe01: LyncHost;

  before(async function () {
    requireTool(this, "ssh");
    requireTool(this, "openssl");
    dir = mkdtempSync(path.join(tmpdir(), "openssh-procedure-"));
    keyFile = path.join(dir, "id_ed25519");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", keyFile]);
    const publicKey = execFileSync("ssh-keygen", ["-y", "-f", keyFile], { encoding: "utf8" });
    // The Front Ends run exec requests through PowerShell (OpenSSH's DefaultShell set, as the procedure's
    // bare command lines need); the Director keeps Windows' default, cmd.exe.
    const sample = loadTopology(SAMPLE_TOPOLOGY_PATH);
    emulator = await startEmulator({
      stateDir: path.join(dir, "state"),
      users: [{ name: "lyncadmin", password: PASSWORD, authorizedKeys: [publicKey] }],
      topology: {
        ...sample,
        defaultShell: "powershell",
        pools: sample.pools.map((p) => (p.role === "Director" ? { ...p, defaultShell: "cmd" as const } : p)),
      },
    });
    // The procedure runs from a password login: only that one has network credentials for the CA.
    askPass = path.join(dir, "askpass.sh");
    writeFileSync(askPass, `#!/bin/sh\necho '${PASSWORD}'\n`, { mode: 0o700 });
    knownHosts = path.join(dir, "known_hosts");
    writeFileSync(knownHosts, emulator.servers.map((s) => `[127.0.0.1]:${s.port} ${s.hostKey}\n`).join(""));
    fe01 = emulator.host("fe01.contoso.com");
    writeFileSync(path.join(dir, "root.pem"), emulator.certificationAuthority().rootCertificatePem);
  });
  after(async () => {
    await emulator?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * ssh -o StrictHostKeyChecking=yes ... lyncadmin@127.0.0.1 '<command>' against fe01 (or another server),
   * logging on with the password (SSH_ASKPASS) or, with login "key", with the key.
   */
  async function ssh(
    command: string,
    input?: string,
    { server = fe01.fqdn, login = "password" }: { server?: string; login?: "password" | "key" } = {},
  ): Promise<{ stdout: string; stderr: string; code: number }> {
    const port = emulator.servers.find((s) => s.fqdn === server)!.port;
    const authentication =
      login === "key"
        ? ["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-i", keyFile]
        : [
            "-o",
            "PubkeyAuthentication=no",
            "-o",
            "PreferredAuthentications=password",
            "-o",
            "NumberOfPasswordPrompts=1",
          ];
    const args = [
      "-F",
      "/dev/null",
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      `UserKnownHostsFile=${knownHosts}`,
      ...authentication,
      "-p",
      String(port),
      "lyncadmin@127.0.0.1",
      command,
    ];
    if (input === undefined) args.unshift("-n");
    const env = { ...process.env, SSH_ASKPASS: askPass, SSH_ASKPASS_REQUIRE: "force", DISPLAY: "none" };
    try {
      const pending = run("ssh", args, { encoding: "utf8", env });
      if (input !== undefined) pending.child.stdin?.end(input);
      const { stdout, stderr } = await pending;
      return { stdout, stderr, code: 0 };
    } catch (error) {
      const e = error as { stdout: string; stderr: string; code: number };
      return { stdout: e.stdout, stderr: e.stderr, code: e.code };
    }
  }

  /** Runs one procedure command after Import-Module Lync (what the Lync Management Shell does first). */
  async function lync(command: string): Promise<string> {
    const result = await ssh(`Import-Module ${MODULE}; ${command}`);
    assert.equal(result.code, 0, `${command}\nexit ${result.code}\nstderr:\n${result.stderr}`);
    return result.stdout;
  }

  /** Runs a Request-CsCertificate command and returns the thumbprint of the certificate it added. */
  async function request(command: string): Promise<string> {
    const before = new Set(fe01.listCertificates().map((c) => c.thumbprint));
    const stdout = await lync(command);
    const added = fe01.listCertificates().filter((c) => !before.has(c.thumbprint));
    assert.equal(added.length, 1, `${command} added ${added.length} certificates`);
    assert.ok(stdout.includes(added[0].thumbprint), `${command} did not print the new Thumbprint:\n${stdout}`);
    return added[0].thumbprint;
  }

  function opensslText(thumbprint: string): string {
    const file = path.join(dir, `${thumbprint}.pem`);
    writeFileSync(file, fe01.getCertificate(thumbprint)!.certificatePem);
    const verify = execFileSync("openssl", ["verify", "-CAfile", path.join(dir, "root.pem"), file], {
      encoding: "utf8",
    });
    assert.match(verify, /: OK/);
    const text = execFileSync("openssl", ["x509", "-in", file, "-noout", "-text"], { encoding: "utf8" });
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text, /TLS Web Server Authentication/);
    return text;
  }

  const sans = (text: string): string[] =>
    (/X509v3 Subject Alternative Name:\s*\n\s*(.*)/.exec(text)?.[1] ?? "")
      .split(",")
      .map((s) => s.trim().replace(/^DNS:/, "").toLowerCase());

  const assigned = (type: CertType): string | undefined =>
    fe01.listAssignments("local").find((a) => a.type === type)?.thumbprint;

  it("runs every command of the procedure verbatim and ends with the Autodiscover names assigned", async () => {
    const seeded = assigned("Default")!;

    // 1. What is assigned: one object per usage, the combined certificate three times.
    const listing = await lync("Get-CsCertificate");
    assert.equal(listing.split(seeded).length - 1, 3, listing);
    for (const use of ["Default", "WebServicesInternal", "WebServicesExternal"]) assert.ok(listing.includes(use), use);

    // 2. A combined certificate with every SIP domain's names.
    const combined = await request(
      "Request-CsCertificate -New -Type Default,WebServicesInternal,WebServicesExternal -Ca dc\\myca -AllSipDomain -verbose",
    );
    const combinedNames = sans(opensslText(combined));
    for (const name of [
      "pool01.contoso.com",
      "fe01.contoso.com",
      "sip.contoso.com",
      "sip.contoso.net",
      "lyncdiscoverinternal.contoso.com",
      "lyncdiscoverinternal.contoso.net",
      "lyncdiscover.contoso.com",
      "lyncdiscover.contoso.net",
      "webext.contoso.com",
    ]) {
      assert.ok(combinedNames.includes(name), `${name} missing from ${combinedNames.join(", ")}`);
    }

    // 3. The same with the Autodiscover names listed explicitly.
    const combinedExplicit = await request(
      'Request-CsCertificate -New -Type Default,WebServicesInternal,WebServicesExternal -Ca dc\\myca -DomainName "LyncdiscoverInternal.contoso.com, LyncdiscoverInternal.contoso.net" -verbose',
    );
    const explicitNames = sans(opensslText(combinedExplicit));
    assert.ok(explicitNames.includes("lyncdiscoverinternal.contoso.com"));
    assert.ok(explicitNames.includes("lyncdiscoverinternal.contoso.net"));

    // 4. Assign the combined certificate to all three usages at once (one certificate meant for all).
    await lync(`Set-CsCertificate -Type Default,WebServicesInternal,WebServicesExternal -Thumbprint ${combined}`);
    for (const type of ["Default", "WebServicesInternal", "WebServicesExternal"] as const) {
      assert.equal(assigned(type), combined, type);
      assert.equal(fe01.listAssignments("local").find((a) => a.type === type)?.previousThumbprint, seeded);
    }

    // 5. Separate certificates per usage.
    const internal = await request(
      "Request-CsCertificate -New -Type WebServicesInternal -Ca dc\\myca -AllSipDomain -verbose",
    );
    const internalNames = sans(opensslText(internal));
    assert.ok(internalNames.includes("lyncdiscoverinternal.contoso.net"));
    assert.ok(!internalNames.includes("lyncdiscover.contoso.net"));
    const internalExplicit = await request(
      'Request-CsCertificate -New -Type WebServicesInternal -Ca dc\\myca -DomainName "LyncdiscoverInternal.contoso.com, LyncdiscoverInternal.contoso.net" -verbose',
    );
    assert.ok(sans(opensslText(internalExplicit)).includes("lyncdiscoverinternal.contoso.com"));
    const external = await request(
      "Request-CsCertificate -New -Type WebServicesExternal -Ca dc\\myca -AllSipDomain -verbose",
    );
    const externalNames = sans(opensslText(external));
    assert.ok(externalNames.includes("lyncdiscover.contoso.com") && externalNames.includes("lyncdiscover.contoso.net"));
    const externalExplicit = await request(
      'Request-CsCertificate -New -Type WebServicesExternal -Ca dc\\myca -DomainName "Lyncdiscover.contoso.com, Lyncdiscover.contoso.net" -verbose',
    );
    assert.ok(sans(opensslText(externalExplicit)).includes("lyncdiscover.contoso.net"));

    // 6. Each usage on its own, as rule 3 demands when the certificates differ.
    await lync(`Set-CsCertificate -Type Default -Thumbprint ${combinedExplicit}`);
    await lync(`Set-CsCertificate -Type WebServicesInternal -Thumbprint ${internal}`);
    await lync(`Set-CsCertificate -Type WebServicesExternal -Thumbprint ${externalExplicit}`);
    // The generic form: -Type <type as displayed in Use> -Thumbprint <unique identifier>.
    await lync(`Set-CsCertificate -Type WebServicesExternal -Thumbprint ${external}`);
    assert.equal(assigned("Default"), combinedExplicit);
    assert.equal(assigned("WebServicesInternal"), internal);
    assert.equal(assigned("WebServicesExternal"), external);
    assert.equal(
      fe01.listAssignments("local").find((a) => a.type === "WebServicesExternal")?.previousThumbprint,
      externalExplicit,
    );

    // fe02 was not touched: each server has its own store and assignments.
    assert.equal(
      emulator
        .host("fe02.contoso.com")
        .listAssignments("local")
        .find((a) => a.type === "Default")?.thumbprint !== combinedExplicit,
      true,
    );
    assert.equal(emulator.certificationAuthority().requestCount, 6);

    // 7. The audit log saw every command, in order.
    const commands = fe01.emulator.auditLog().map((e) => e.command);
    assert.equal(commands.filter((c) => /^Request-CsCertificate$/i.test(c)).length, 6);
    assert.equal(commands.filter((c) => /^Set-CsCertificate$/i.test(c)).length, 5);
  });

  it("applies CA behaviours, faults and the clock set through the emulator cmdlets", async () => {
    const fe02 = emulator.host("fe02.contoso.com");
    const requestsBefore = emulator.certificationAuthority().requestCount;
    assert.equal((await ssh("Set-EmulatorCaBehavior -Behavior deny")).code, 0);
    const denied = await ssh(`Import-Module ${MODULE}; Request-CsCertificate -New -Type Default -Ca dc\\myca`);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /Denied by Policy Module 0x80094800/);
    assert.equal(emulator.certificationAuthority().requestCount, requestsBefore + 1);
    assert.equal((await ssh("Set-EmulatorCaBehavior -Behavior issue")).code, 0);

    // A drop after Set-CsCertificate: ssh sees the connection close (exit 255), the assignment stays.
    const target = fe01.listCertificates().find((c) => c.thumbprint !== assigned("Default"))!.thumbprint;
    assert.equal((await ssh("Set-EmulatorFault -Kind drop -Command Set-CsCertificate -When after")).code, 0);
    const dropped = await ssh(
      `Import-Module ${MODULE}; Set-CsCertificate -Type Default -Thumbprint ${target}; 'after'`,
    );
    assert.equal(dropped.code, 255);
    assert.ok(!dropped.stdout.includes("after"));
    assert.equal(assigned("Default"), target);

    // Import-Module's own latency, as on a real server where loading the Lync module takes seconds.
    assert.equal((await ssh("Set-EmulatorFault -Kind latency -Command Import-Module -Milliseconds 1500")).code, 0);
    const started = Date.now();
    assert.equal((await ssh(`Import-Module ${MODULE}`)).code, 0);
    assert.ok(Date.now() - started >= 1500, "Import-Module was not delayed");
    assert.equal((await ssh("Clear-EmulatorFault")).code, 0);
    assert.deepEqual(fe01.emulator.faults(), []);

    // The clock moves for fe01 only, and the audit log comes back as JSON.
    const before = fe02.now().getTime();
    assert.equal((await ssh("Set-EmulatorTime -AddDays 800")).code, 0);
    assert.ok(fe01.now().getTime() - Date.now() > 799 * 86_400_000);
    assert.ok(Math.abs(fe02.now().getTime() - before) < 60_000);
    const log = JSON.parse((await ssh("Get-EmulatorAuditLog")).stdout) as { command: string; user: string }[];
    assert.ok(log.some((e) => e.command === "Set-EmulatorTime" && e.user === "CONTOSO\\lyncadmin"));
  });

  it("refuses a key login's online request with access denied (the double hop) until -CaAccount and -CaPassword are given", async () => {
    const request = "Request-CsCertificate -New -Type Default -Ca dc\\myca";
    const lyncKey = (command: string) => ssh(`Import-Module ${MODULE}; ${command}`, undefined, { login: "key" });
    const stored = fe01.listCertificates().length;
    const refused = await lyncKey(request);
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stderr, /Access is denied\. 0x80070005/);
    assert.equal(fe01.listCertificates().length, stored);

    const wrong = await lyncKey(`${request} -CaAccount CONTOSO\\lyncadmin -CaPassword Not.${PASSWORD}`);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /The user name or password is incorrect\. 0x8007052e/);
    // The message does not echo it (PowerShell's position line quotes the command line, as on Windows).
    assert.ok(!wrong.stderr.split(/\r?\n/)[0].includes(`Not.${PASSWORD}`), wrong.stderr);

    // The form scripts use: the returned object's Thumbprint goes straight to Set-CsCertificate.
    const fixed = await lyncKey(
      `$c = ${request} -CaAccount CONTOSO\\lyncadmin -CaPassword ${PASSWORD}; Set-CsCertificate -Type Default -Thumbprint $c.Thumbprint; $c.Thumbprint`,
    );
    assert.equal(fixed.code, 0, fixed.stderr);
    const thumbprint = fixed.stdout.trim();
    assert.ok(fe01.getCertificate(thumbprint)?.privateKeyPem, fixed.stdout);
    assert.equal(assigned("Default"), thumbprint);

    // -CaPassword never reaches the audit log; but typed on a command line, it is in the process log,
    // as in Windows' event 4688: why the provider binds it as a parameter instead.
    const log = JSON.parse((await ssh("Get-EmulatorAuditLog", undefined, { login: "key" })).stdout) as {
      command: string;
      parameters: Record<string, unknown>;
    }[];
    const requests = log.filter((e) => e.command === "Request-CsCertificate" && "CaPassword" in e.parameters);
    assert.equal(requests.length, 2);
    assert.ok(requests.every((e) => e.parameters.CaPassword === "***"));
    const processes = (await ssh("Get-EmulatorProcessLog", undefined, { login: "key" })).stdout;
    assert.ok(processes.includes(`-CaPassword ${PASSWORD}`), "the typed command line is recorded as typed");
  });

  it("runs -EncodedCommand and piped scripts and reports a failing cmdlet with exit code 1 and its error", async () => {
    const ok = await ssh(
      `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${encodePowerShellCommand(`Import-Module ${MODULE}\n@(Get-CsCertificate -Type Default).Count`)}`,
    );
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), "1");
    // A Lync Server 2013 server has no SkypeForBusiness module: the import fails as on Windows.
    const otherModule = await ssh(
      `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${encodePowerShellCommand("Import-Module SkypeForBusiness")}`,
    );
    assert.equal(otherModule.code, 1);
    assert.match(otherModule.stderr, /The specified module 'SkypeForBusiness' was not loaded/);
    const piped = await ssh(
      "powershell -NoProfile -Command -",
      `Import-Module ${MODULE}\n@(Get-CsCertificate).Count\n`,
      { server: "dir01.contoso.com" },
    );
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout.trim(), "3");
    const failing = await ssh(
      `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${encodePowerShellCommand(`$ErrorActionPreference = 'Stop'\nImport-Module ${MODULE}\nSet-CsCertificate -Type Default -Thumbprint 0000000000000000000000000000000000000000`)}`,
    );
    assert.equal(failing.code, 1);
    assert.match(decodeClixml(failing.stderr).error, /0000000000000000000000000000000000000000/);
  });

  it("runs a Cs cmdlet with no Import-Module under a PowerShell default shell, the module loading on first use", async () => {
    const imports = () => fe01.emulator.auditLog().filter((e) => e.command === "Import-Module").length;
    const before = imports();
    const result = await ssh("Get-CsCertificate");
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.includes(assigned("Default")!), result.stdout);
    assert.equal(imports(), before + 1, "the auto-load counts as an Import-Module");
  });

  it("gives cmd.exe's answers where cmd.exe is the default shell", async () => {
    const dir01 = "dir01.contoso.com";
    const unknown = await ssh("Get-CsCertificate", undefined, { server: dir01 });
    // sshd sends cmd's 9009; OpenSSH's ssh can only exit with its low byte.
    assert.equal(unknown.code, 9009 & 0xff);
    assert.equal(
      unknown.stderr,
      "'Get-CsCertificate' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n",
    );
    // What works whatever the default shell: start powershell.exe yourself (the module loads on first use).
    const started = await ssh("powershell -NoProfile -Command Get-CsCertificate", undefined, { server: dir01 });
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /WebServicesExternal/);
    const long = `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${encodePowerShellCommand(`'${"x".repeat(3100)}'`)}`;
    assert.ok(long.length > 8191);
    const refused = await ssh(long, undefined, { server: dir01 });
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, "The command line is too long.\r\n");
    assert.equal(refused.stdout, "");
  });

  it("assigns OAuthTokenIssuer once on fe02 and lets the Director read its certificate only after replication", async () => {
    const requested = await ssh(
      `Import-Module ${MODULE}; $c = Request-CsCertificate -New -Type Default -Ca dc\\myca -PrivateKeyExportable $true; ` +
        "Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $c.Thumbprint; $c.Thumbprint",
      undefined,
      { server: "fe02.contoso.com" },
    );
    assert.equal(requested.code, 0, requested.stderr);
    const thumbprint = requested.stdout.trim();
    assert.match(thumbprint, /^[0-9A-F]{40}$/);

    // The Director keeps cmd.exe as its default shell: start powershell.exe explicitly.
    const read = () =>
      ssh(
        `powershell -NoProfile -Command "(Get-CsCertificate -Type OAuthTokenIssuer).Thumbprint; (Get-Item Cert:\\LocalMachine\\My\\${thumbprint}).HasPrivateKey"`,
        undefined,
        { server: "dir01.contoso.com" },
      );
    const before = await read();
    // The assignment is there at once; the certificate is not (HasPrivateKey of nothing prints nothing).
    assert.equal(before.stdout.trim(), thumbprint);
    assert.match(before.stderr, /Cannot find path/);

    const moved = await ssh('powershell -NoProfile -Command "Set-EmulatorTime -AddDays 1"', undefined, {
      server: "dir01.contoso.com",
    });
    assert.equal(moved.code, 0, moved.stderr);
    const after = await read();
    assert.equal(after.code, 0, after.stderr);
    assert.deepEqual(after.stdout.trim().split(/\r?\n/), [thumbprint, "True"]);
  });
});
