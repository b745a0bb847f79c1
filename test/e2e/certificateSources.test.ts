// examples/certificate-sources end to end, over SSH and over WinRM, on servers whose default shell is
// cmd.exe (the Windows default for OpenSSH, and what WinRM runs a command through, with its
// 8,191-character command line): a 4096-bit PFX with its chain, a PEM pair,
// an offline request completed by a public CA, and four online requests made with a CA account of
// their own all converge. Secrets are canaries searched for in every record Windows keeps (process
// command lines, script block text), in the state and in everything the engine printed.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { thumbprintOf } from "lync-server-emulator/dist/x509";
import { SAMPLE_TOPOLOGY } from "../../scripts/support/emulatorProcess";
import { startExampleEnvironment, type ExampleEnvironment } from "../support/exampleEnvironment";
import { filesContaining } from "../support/filesContaining";
import { PublicCa } from "../support/publicCa";
import type { AdminServer } from "../../scripts/support/lyncAdmin";
import { ENGINE_BUILD_TIMEOUT_MS, requirePulumiEngine } from "../support/requirePulumiEngine";
import { readSampleTopology, serverConfig } from "../../scripts/support/sampleStackConfig";
import { TRANSPORTS } from "../../scripts/support/transports";

interface LogEntry {
  readonly time: string;
  readonly commandLine?: string;
  readonly text?: string;
}

for (const transport of TRANSPORTS)
  describe(`examples/certificate-sources with the real pulumi CLI over ${transport} on cmd.exe default shells`, function () {
    this.timeout(8 * 60_000);
    const sample = readSampleTopology();
    const pool = sample.frontEndPool;
    const [fe01Fqdn, fe02Fqdn] = pool.servers;
    const canary = (what: string) => `canary-${what}-${randomBytes(12).toString("hex")}`;
    const pfxPassword = canary("pfx");
    const caPassword = canary("ca");
    const publicCa = new PublicCa();
    const pfxCertificate = publicCa.issuePair(4096, pool.fqdn, [fe01Fqdn, pool.fqdn]);
    const pfxBase64 = publicCa.pfxBase64(pfxCertificate, pfxPassword);
    const pemPair = publicCa.issuePair(2048, pool.internalWebFqdn, [
      pool.internalWebFqdn,
      ...sample.sipDomains.map((d) => `lyncdiscoverinternal.${d}`),
    ]);
    // What no record may hold: the body of a private key is as secret as its header is common.
    const privateKeyCanary = pemPair.privateKeyPem.split("\n")[3];
    let env: ExampleEnvironment | undefined;
    let fe01: AdminServer;
    let fe02: AdminServer;
    const printed: string[] = [];

    const up = async () => printed.push((await env!.stack.up()).output);
    const preview = async (extra: string[] = []) => {
      const result = await env!.stack.preview(extra);
      printed.push(result.output);
      return result;
    };
    const log = async (server: AdminServer, cmdlet: string): Promise<LogEntry[]> => {
      const parsed = JSON.parse((await env!.admin.run(server, cmdlet)).trim() || "[]") as LogEntry | LogEntry[];
      return Array.isArray(parsed) ? parsed : [parsed];
    };

    before(async function () {
      this.timeout(ENGINE_BUILD_TIMEOUT_MS);
      await requirePulumiEngine(this);
      env = await startExampleEnvironment(
        "certificate-sources",
        (emulator, credentials) => ({
          user: credentials.user,
          password: { secret: credentials.password },
          pool: JSON.stringify({
            fqdn: pool.fqdn,
            internalWebFqdn: pool.internalWebFqdn,
            externalWebFqdn: pool.externalWebFqdn,
            servers: [
              serverConfig(emulator.server(fe01Fqdn), transport),
              serverConfig(emulator.server(fe02Fqdn), transport),
            ],
          }),
          transport,
          sipDomains: JSON.stringify(sample.sipDomains),
          pfx: { secret: pfxBase64 },
          pfxPassword: { secret: pfxPassword },
          certificatePem: pemPair.certificatePem,
          privateKeyPem: { secret: pemPair.privateKeyPem },
          caAccount: "CONTOSO\\certadmin",
          caPassword: { secret: caPassword },
        }),
        {
          // A CA account of its own: certadmin may enroll, and its password is a canary of its own.
          extraUsers: [{ name: "certadmin", password: caPassword }],
          topology: topologyWithEnroller("CONTOSO\\certadmin"),
        },
      );
      fe01 = env.emulator.server(fe01Fqdn);
      fe02 = env.emulator.server(fe02Fqdn);
    });

    after(async function () {
      this.timeout(2 * 60_000);
      await env?.dispose();
    });

    it("assigns the PFX's and the PEM pair's certificates, exports the CSR, and requests four certificates", async () => {
      await up();
      const outputs = await env!.stack.outputs();
      assert.match(String(outputs.csr), /BEGIN (NEW )?CERTIFICATE REQUEST/);
      const held = (await env!.admin.getCsCertificate(fe01)).reduce<Record<string, string>>(
        (all, row) => ({ ...all, [row.use]: row.thumbprint }),
        {},
      );
      assert.equal(held.Default, thumbprintOf(pfxCertificate.certificatePem), "Default serves the 4096-bit PFX");
      assert.equal(held.WebServicesInternal, thumbprintOf(pemPair.certificatePem), "WebServicesInternal the PEM pair");
      const requested = await env!.admin.getCsCertificate(fe02);
      const uses = ["Default", "WebServicesInternal", "WebServicesExternal", "WsFedTokenTransfer"];
      assert.deepEqual(requested.map((r) => r.use).sort(), [...uses].sort());
      assert.equal(new Set(requested.map((r) => r.thumbprint)).size, 4, "one certificate per entry");
      assert.ok(
        requested.every((r) => /contoso-DC-CA/.test(r.issuer)),
        "issued by the internal CA",
      );
    });

    it("imports and assigns the public CA's answer to the offline request", async () => {
      const issued = publicCa.answer(String((await env!.stack.outputs()).csr));
      await env!.stack.setConfig("issuedCertificatePem", issued);
      await up();
      const live = await env!.admin.getCsCertificate(fe01);
      assert.equal(live.find((r) => r.use === "WebServicesExternal")?.thumbprint, thumbprintOf(issued));
    });

    it("converges: preview finds nothing to change, before and after a refresh", async () => {
      assert.equal((await preview(["--expect-no-changes"])).code, 0, printed.at(-1));
      printed.push((await env!.stack.refresh()).output);
      assert.equal((await preview(["--expect-no-changes"])).code, 0, printed.at(-1));
    });

    it("starts every remote process with a command line under 1,024 characters", async () => {
      for (const server of [fe01, fe02]) {
        const processes = await log(server, "Get-EmulatorProcessLog");
        assert.ok(processes.length > 0, `${server.fqdn} recorded its processes`);
        const long = processes.filter((p) => String(p.commandLine).length >= 1024);
        assert.deepEqual(
          long.map((p) => String(p.commandLine).slice(0, 120)),
          [],
          `${server.fqdn} started processes with long command lines`,
        );
      }
    });

    it("reports a failing cmdlet as its message, with no CLIXML", async () => {
      await env!.admin.run(fe02, "Set-EmulatorCaBehavior -Behavior deny");
      await env!.admin.addDays(fe02, 600); // every certificate of fe02 is due: the CA is asked again
      const result = await env!.stack.run(["up", "--yes", "--skip-preview", "--non-interactive"]);
      printed.push(result.output);
      assert.notEqual(result.code, 0, "the denied requests fail the update");
      assert.match(result.output, /Denied by Policy Module 0x80094800/);
      assert.doesNotMatch(result.output, /CLIXML|<Objs|_x000D_/);
    });

    it("keeps every secret out of command lines, script block text, the state and the engine's output", async () => {
      const canaries = {
        "the connection password": env!.password,
        caPassword,
        pfxPassword,
        "the PFX bytes": pfxBase64.slice(200, 264),
        "a private key": privateKeyCanary,
      };
      const records: Record<string, string> = {};
      for (const server of [fe01, fe02]) {
        records[`${server.fqdn} process log`] = JSON.stringify(await log(server, "Get-EmulatorProcessLog"));
        records[`${server.fqdn} script block log`] = JSON.stringify(await log(server, "Get-EmulatorScriptBlockLog"));
      }
      records["the engine's output"] = printed.join("\n");
      for (const [what, value] of Object.entries(canaries)) {
        for (const [where, text] of Object.entries(records)) {
          assert.ok(!text.includes(value), `${what} appears in ${where}`);
        }
        assert.deepEqual(filesContaining([env!.backendDir, env!.stack.configFile], value), [], `${what} in the state`);
      }
    });
  });

/** The sample topology with one more enroller on its CA, written next to the other temporary files. */
function topologyWithEnroller(account: string): string {
  const topology = JSON.parse(fs.readFileSync(SAMPLE_TOPOLOGY, "utf8")) as {
    certificationAuthorities: { enrollers: string[] }[];
  };
  topology.certificationAuthorities[0].enrollers.push(account);
  const file = path.join(fs.mkdtempSync(path.join(require("node:os").tmpdir(), "lync-topology-")), "topology.json");
  fs.writeFileSync(file, JSON.stringify(topology, null, 2));
  return file;
}
