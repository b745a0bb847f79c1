// The provider on an emulated Edge Server: offline requests only, the names the topology requires read
// from the server in the same session, and preview saying which of them a certificate lacks.

import assert from "node:assert/strict";
import { certificateAssignmentProvider as provider } from "pulumi-lync-certificates/dist/certificateAssignmentProvider";
import { inspectCertificate } from "pulumi-lync-certificates/dist/inspectCertificate";
import type { ProviderOutputs } from "pulumi-lync-certificates/dist/outputs";
import { readCsr } from "lync-server-emulator/dist/x509";
import { PublicCa } from "../support/publicCa";
import { captureStderr } from "./support/captureStderr";
import {
  assignments,
  connectionTo,
  runAsAdmin,
  sessionCount,
  startFixture,
  stopFixture,
  type EmulatorFixture,
} from "./support/emulatorFixture";

const EDGE01 = "edge01.contoso.com";
const EXTERNAL = ["AccessEdgeExternal", "DataEdgeExternal", "AudioVideoAuthentication"];

function edgeInputs(fixture: EmulatorFixture, issued: { external?: string; internal?: string } = {}) {
  return {
    connection: connectionTo(fixture, EDGE01),
    managementModule: "Lync",
    resourceKey: "ed9e0001",
    resourceName: EDGE01,
    certificates: [
      // The names come from the topology: nothing to list.
      {
        usages: [...EXTERNAL, "XmppServer"],
        subjectAlternativeNames: [],
        offline: true,
        issuedCertificatePem: issued.external,
      },
      { usages: ["Internal"], subjectAlternativeNames: [], offline: true, issuedCertificatePem: issued.internal },
    ],
  };
}

async function checked(inputs: unknown) {
  const result = await provider.check!({}, inputs);
  assert.deepEqual(result.failures ?? [], []);
  return result.inputs;
}

describe("CertificateAssignment provider on an Edge Server", function () {
  this.timeout(60_000);
  const publicCa = new PublicCa();
  let fixture: EmulatorFixture | undefined;
  beforeEach(async () => {
    fixture = await startFixture();
  });
  afterEach(async () => {
    await stopFixture(fixture);
    fixture = undefined;
  });

  it("asks in its offline requests for every name the Edge topology requires, and assigns the answers", async () => {
    const f = fixture!;
    const { id, outs } = (await provider.create(await checked(edgeInputs(f)))) as { id: string; outs: ProviderOutputs };
    const external = readCsr(outs.certificates[0].csr!);
    assert.equal(external.subject, "CN=sip.contoso.com");
    const names = external.dnsNames.map((n) => n.toLowerCase());
    for (const name of [
      "sip.contoso.com",
      "webcon.contoso.com",
      "sip.contoso.net",
      "xmpp.contoso.com",
      "xmpp.contoso.net",
    ])
      assert.ok(names.includes(name), `the external CSR asks for ${name}: ${names.join(", ")}`);
    assert.ok(!names.includes("av.contoso.com"), "the A/V Edge FQDN is never on the certificate");
    assert.equal(readCsr(outs.certificates[1].csr!).subject, "CN=edgepool.contoso.com");
    assert.deepEqual(assignments(f, EDGE01), {}, "nothing is assigned before the CA answers");

    const answers = {
      external: publicCa.answer(outs.certificates[0].csr!),
      internal: publicCa.answer(outs.certificates[1].csr!),
    };
    const answered = await checked(edgeInputs(f, answers));
    const { outs: updated } = (await provider.update!(id, outs, answered)) as { outs: ProviderOutputs };
    const held = assignments(f, EDGE01);
    for (const use of [...EXTERNAL, "XmppServer"])
      assert.equal(held[use], inspectCertificate(answers.external).thumbprint, use);
    assert.equal(held.Internal, inspectCertificate(answers.internal).thumbprint);

    const sessions = sessionCount(f, EDGE01);
    const quiet = await captureStderr(() => provider.diff!(id, updated, answered));
    assert.equal(quiet.result.changes, false, quiet.text);
    assert.equal(sessionCount(f, EDGE01) - sessions, 1, "diff reads the server and its topology in one session");
  });

  it("names each Access Edge name an assigned certificate lacks, and why", async () => {
    const f = fixture!;
    const { id, outs } = (await provider.create(await checked(edgeInputs(f)))) as { id: string; outs: ProviderOutputs };
    // An administrator assigns a certificate made for the primary SIP domain only.
    const pair = publicCa.issuePair(2048, "sip.contoso.com", ["sip.contoso.com", "webcon.contoso.com"]);
    f.emulator.host(EDGE01).putCertificate({
      thumbprint: inspectCertificate(pair.certificatePem).thumbprint,
      certificatePem: pair.certificatePem,
      privateKeyPem: pair.privateKeyPem,
      friendlyName: "Edge external",
      privateKeyExportable: false,
    });
    const thumbprint = inspectCertificate(pair.certificatePem).thumbprint;
    await runAsAdmin(
      f,
      `Import-Module Lync\nSet-CsCertificate -Type ${EXTERNAL.join(",")} -Thumbprint ${thumbprint}`,
      EDGE01,
    );

    const inputs = {
      ...edgeInputs(f),
      certificates: [{ usages: EXTERNAL, subjectAlternativeNames: [], offline: true }],
    };
    // Outside the domain the server knows no DNS suffix: messages name it by the resource and its address.
    const { result, text } = await captureStderr(async () => provider.diff!(id, outs, await checked(inputs)));
    assert.equal(result.changes, true);
    assert.match(
      text,
      /^edge01\.contoso\.com \(127\.0\.0\.1\) AccessEdgeExternal, DataEdgeExternal, AudioVideoAuthentication: certificate lacks sip\.contoso\.net \(the Access Edge name of SIP domain contoso\.net in the topology\)$/m,
    );
  });

  it("refuses Edge usages on a Front End before changing anything", async () => {
    const f = fixture!;
    const inputs = { ...edgeInputs(f), connection: connectionTo(f), resourceName: "fe01.contoso.com" };
    const before = assignments(f);
    await assert.rejects(provider.create(await checked(inputs)), /shows no Edge pool with this server/);
    assert.deepEqual(assignments(f), before);
  });

  it("gets no certificate online from an Edge Server: the CA is out of its reach", async () => {
    const f = fixture!;
    const requests = f.emulator.certificationAuthority().requestCount;
    const inputs = {
      ...edgeInputs(f),
      certificates: [{ usages: ["Internal"], subjectAlternativeNames: [], ca: "dc\\myca" }],
    };
    await assert.rejects(provider.create(await checked(inputs)), /Unable to contact certification authority/);
    assert.equal(f.emulator.certificationAuthority().requestCount, requests, "no request reached the CA");
    assert.deepEqual(assignments(f, EDGE01), {});
  });
});
