// examples/public-ca end to end: an offline request whose CSR is a stack output, completed by the
// certificate a (test) public CA issues for it, and a bring-your-own PFX.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readCsr, thumbprintOf } from "lync-server-emulator/dist/x509";
import { startExampleEnvironment, type ExampleEnvironment } from "../support/exampleEnvironment";
import { filesContaining } from "../support/filesContaining";
import { PublicCa } from "../support/publicCa";
import type { AdminServer, AssignedCertificate } from "../../scripts/support/lyncAdmin";
import { ENGINE_BUILD_TIMEOUT_MS, requirePulumiEngine } from "../support/requirePulumiEngine";
import { readSampleTopology, serverConfig } from "../../scripts/support/sampleStackConfig";

describe("examples/public-ca with the real pulumi CLI", function () {
  this.timeout(5 * 60_000);
  const sample = readSampleTopology();
  const pool = sample.frontEndPool;
  const serverFqdn = pool.servers[0];
  const pfxPassword = `canary-pfx-${randomBytes(12).toString("hex")}`;
  const publicCa = new PublicCa();
  // With mobility on, the certificate for WebServicesInternal must carry lyncdiscoverinternal.<domain>.
  const pfxPair = publicCa.issuePair(2048, pool.fqdn, [
    pool.fqdn,
    serverFqdn,
    ...sample.sipDomains.map((d) => `lyncdiscoverinternal.${d}`),
  ]);
  const pfxCertificatePem = pfxPair.certificatePem;
  const pfxBase64 = publicCa.pfxBase64(pfxPair, pfxPassword);
  let env: ExampleEnvironment | undefined;
  let server: AdminServer;
  let initial: AssignedCertificate[];
  let issuedPem: string;

  before(async function () {
    this.timeout(ENGINE_BUILD_TIMEOUT_MS);
    await requirePulumiEngine(this);
    env = await startExampleEnvironment("public-ca", (emulator, credentials) => ({
      user: credentials.user,
      password: { secret: credentials.password },
      server: JSON.stringify(serverConfig(emulator.server(serverFqdn))),
      pool: JSON.stringify({
        fqdn: pool.fqdn,
        internalWebFqdn: pool.internalWebFqdn,
        externalWebFqdn: pool.externalWebFqdn,
      }),
      sipDomains: JSON.stringify(sample.sipDomains),
      pfx: { secret: pfxBase64 },
      pfxPassword: { secret: pfxPassword },
    }));
    server = env.emulator.server(serverFqdn);
    initial = await env.admin.getCsCertificate(server);
  });

  after(async function () {
    this.timeout(2 * 60_000);
    await env?.dispose();
  });

  it("exports the CSR of an offline request and assigns the PFX's certificate on the first pulumi up", async () => {
    await env!.stack.up();
    const outputs = await env!.stack.outputs();
    assert.equal(typeof outputs.csr, "string", `the csr output is a PEM string: ${JSON.stringify(outputs)}`);
    const csr = readCsr(outputs.csr as string);
    const names = csr.dnsNames.map((n) => n.toLowerCase());
    assert.ok(names.includes(pool.externalWebFqdn), `the CSR asks for ${pool.externalWebFqdn}: ${names.join(", ")}`);
    for (const domain of sample.sipDomains)
      assert.ok(names.includes(`lyncdiscover.${domain}`), `lyncdiscover.${domain}`);

    const live = await env!.admin.getCsCertificate(server);
    const pfxThumbprint = thumbprintOf(pfxCertificatePem);
    for (const use of ["Default", "WebServicesInternal"]) {
      assert.equal(live.find((r) => r.use === use)?.thumbprint, pfxThumbprint, `${use} serves the PFX's certificate`);
    }
    assert.equal(outputs.internalThumbprint, pfxThumbprint);
    const external = live.find((r) => r.use === "WebServicesExternal");
    assert.equal(
      external?.thumbprint,
      initial.find((r) => r.use === "WebServicesExternal")?.thumbprint,
      "WebServicesExternal keeps its certificate until the public CA has issued one",
    );
  });

  it("imports and assigns the issued certificate once it is supplied through config", async () => {
    const outputs = await env!.stack.outputs();
    issuedPem = publicCa.answer(outputs.csr as string);
    await env!.stack.setConfig("issuedCertificatePem", issuedPem);
    await env!.stack.up();
    const live = await env!.admin.getCsCertificate(server);
    assert.equal(live.find((r) => r.use === "WebServicesExternal")?.thumbprint, thumbprintOf(issuedPem));
    assert.equal((await env!.stack.outputs()).externalThumbprint, thumbprintOf(issuedPem));
  });

  it("passes preview --expect-no-changes, refreshes and stays quiet", async () => {
    let preview = await env!.stack.preview(["--expect-no-changes"]);
    assert.equal(preview.code, 0, preview.output);
    await env!.stack.refresh();
    preview = await env!.stack.preview(["--expect-no-changes"]);
    assert.equal(preview.code, 0, preview.output);
  });

  it("keeps the PFX, its password and private keys out of the state", async () => {
    const places = [env!.backendDir, env!.stack.configFile];
    for (const canary of [env!.password, pfxPassword, pfxBase64.slice(0, 64), "PRIVATE KEY"]) {
      assert.deepEqual(filesContaining(places, canary), [], `nothing in the backend or stack config holds ${canary}`);
    }
  });

  it("destroys the stack", async () => {
    await env!.stack.destroy();
    const exported = await env!.stack.exportState();
    assert.equal((exported.deployment.resources ?? []).length, 0);
  });
});
