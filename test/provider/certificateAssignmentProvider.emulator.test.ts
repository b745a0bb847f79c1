import assert from "node:assert/strict";
import forge from "node-forge";
import { certificateAssignmentProvider as provider } from "pulumi-lync-certificates/dist/certificateAssignmentProvider";
import { inspectCertificate } from "pulumi-lync-certificates/dist/inspectCertificate";
import type { ProviderOutputs } from "pulumi-lync-certificates/dist/outputs";
import {
  assignments,
  connectionTo as fixtureConnection,
  FE01,
  PASSWORD,
  runAsAdmin,
  sessionCount,
  setCsCertificateCalls,
  startFixture,
  stopFixture,
  TRANSPORTS,
  type EmulatorFixture,
  type Transport,
} from "./support/emulatorFixture";
import { closeAllSessions } from "pulumi-lync-certificates/dist/connectServer";
import { makeCertificate, makePfx } from "./support/testCertificates";
import { captureStderr } from "./support/captureStderr";

const MODULE = "Lync";
const CA = "dc\\myca";
const WEB = ["Default", "WebServicesInternal", "WebServicesExternal"];

/** An online request's entry; over WinRM it brings a CA account (the session has no network credentials). */
function online(entry: Record<string, unknown>, transport: Transport) {
  return transport === "winrm" ? { ...entry, caAccount: "CONTOSO\\lyncadmin", caPassword: PASSWORD } : entry;
}

function combinedFor(fixture: EmulatorFixture, transport: Transport, extra: Record<string, unknown> = {}) {
  return {
    connection: fixtureConnection(fixture, FE01, transport),
    managementModule: MODULE,
    resourceKey: "0badc0de",
    resourceName: FE01,
    certificates: [
      online({ usages: WEB, subjectAlternativeNames: ["fe01.contoso.com", "pool01.contoso.com"], ca: CA }, transport),
    ],
    sipDomains: [
      { name: "contoso.com", mobility: true },
      { name: "contoso.net", mobility: true },
    ],
    ...extra,
  };
}

function separateFor(fixture: EmulatorFixture, transport: Transport) {
  return {
    connection: fixtureConnection(fixture, FE01, transport),
    managementModule: MODULE,
    resourceKey: "5e9a7a7e",
    certificates: [
      { usages: ["Default"], subjectAlternativeNames: ["fe01.contoso.com", "pool01.contoso.com"], ca: CA },
      { usages: ["WebServicesInternal"], subjectAlternativeNames: ["pool01.contoso.com"], ca: CA },
      { usages: ["WebServicesExternal"], subjectAlternativeNames: ["webext.contoso.com"], ca: CA },
    ].map((entry) => online(entry, transport)),
  };
}

async function checked(inputs: unknown) {
  const result = await provider.check!({}, inputs);
  assert.deepEqual(result.failures ?? [], []);
  return result.inputs;
}

async function create(inputs: unknown): Promise<{ id: string; outs: ProviderOutputs }> {
  return (await provider.create(await checked(inputs))) as { id: string; outs: ProviderOutputs };
}

for (const transport of TRANSPORTS)
  describe(`CertificateAssignment provider against the emulator over ${transport}`, function () {
    this.timeout(60_000);
    let fixture: EmulatorFixture | undefined;
    const connectionTo = (f: EmulatorFixture, fqdn = FE01) => fixtureConnection(f, fqdn, transport);
    const combined = (f: EmulatorFixture, extra: Record<string, unknown> = {}) => combinedFor(f, transport, extra);
    const separate = (f: EmulatorFixture) => separateFor(f, transport);
    beforeEach(async () => {
      fixture = await startFixture();
    });
    afterEach(async () => {
      await stopFixture(fixture);
      fixture = undefined;
    });

    it("assigns one combined certificate carrying the mobility names of both SIP domains with one Set-CsCertificate call", async () => {
      const f = fixture!;
      const before = assignments(f);
      const { id, outs } = await create(combined(f));
      assert.ok(id.length > 0);
      const after = assignments(f);
      assert.notEqual(after.Default, before.Default);
      assert.equal(after.WebServicesInternal, after.Default);
      assert.equal(after.WebServicesExternal, after.Default);
      const stored = f.emulator.host(FE01).getCertificate(after.Default)!;
      const names = inspectCertificate(stored.certificatePem).dnsNames;
      for (const name of [
        "lyncdiscoverinternal.contoso.com",
        "lyncdiscoverinternal.contoso.net",
        "lyncdiscover.contoso.com",
        "lyncdiscover.contoso.net",
        "fe01.contoso.com",
      ]) {
        assert.ok(names.includes(name), `${name} missing from ${names.join(", ")}`);
      }
      assert.deepEqual(setCsCertificateCalls(f), [WEB]);
      assert.equal(outs.certificates[0].thumbprint, after.Default);
      assert.equal(outs.certificates[0].previousThumbprints.Default, before.Default);
      assert.ok(outs.certificates[0].renewalTime);
      const server = f.emulator.servers.find((s) => s.fqdn === FE01)!;
      assert.equal(outs.hostKey, transport === "ssh" ? server.hostKey : `tls-sha256 ${server.winrmCertificateSha256}`);
      assert.equal(JSON.stringify(outs).includes("Pa$$w0rd") ? "connection only" : "none", "connection only");
      assert.ok(!JSON.stringify(outs.certificates).includes("Pa$$w0rd"));

      // A preview runs in a provider process of its own.
      await closeAllSessions();
      const sessions = sessionCount(f);
      const { result, text } = await captureStderr(() => provider.diff!(id, outs, combined(f)));
      assert.equal(result.changes, false, text);
      assert.equal(sessionCount(f) - sessions, 1, "diff reads the server in one PowerShell session");
    });

    it("reports the missing Autodiscover names in words before anything changes", async () => {
      const f = fixture!;
      const first = await create({ ...combined(f), sipDomains: [] });
      const { result, text } = await captureStderr(() => provider.diff!(first.id, first.outs, combined(f)));
      assert.equal(result.changes, true);
      const missing =
        "lyncdiscoverinternal\\.contoso\\.com, lyncdiscover\\.contoso\\.com, lyncdiscoverinternal\\.contoso\\.net, lyncdiscover\\.contoso\\.net";
      assert.match(text, new RegExp(`^fe01\\.contoso\\.com ${WEB.join(", ")}: certificate lacks ${missing}$`, "m"));
      assert.equal(text.match(/certificate lacks/g)?.length, 1, "one line for the combined certificate");
      assert.match(text, /^fe01\.contoso\.com: inputs changed: sipDomains$/m);
    });

    it("assigns each usage separately when certificates differ", async () => {
      const f = fixture!;
      await create(separate(f));
      const after = assignments(f);
      assert.equal(new Set([after.Default, after.WebServicesInternal, after.WebServicesExternal]).size, 3);
      const calls = setCsCertificateCalls(f);
      assert.equal(calls.length, 3);
      for (const call of calls) assert.equal(call.length, 1, `a multi-type call: ${call.join(",")}`);
      const external = inspectCertificate(
        f.emulator.host(FE01).getCertificate(after.WebServicesExternal)!.certificatePem,
      );
      assert.ok(external.dnsNames.includes("webext.contoso.com"));
    });

    it("sees an out-of-band Set-CsCertificate as drift and converges on update", async () => {
      const f = fixture!;
      const original = assignments(f).WebServicesExternal;
      const { id, outs } = await create(combined(f));
      await runAsAdmin(
        f,
        `Import-Module ${MODULE}; Set-CsCertificate -Type WebServicesExternal -Thumbprint ${original}`,
      );
      assert.equal(assignments(f).WebServicesExternal, original);

      const { result, text } = await captureStderr(() => provider.diff!(id, outs, combined(f)));
      assert.equal(result.changes, true);
      assert.match(text, /WebServicesExternal: certificate lacks .*\blyncdiscover\.contoso\.com/);
      assert.match(text, /declared as one combined certificate but hold different certificates/);

      const requestsBefore = f.emulator.certificationAuthority().requestCount;
      // An update runs in a provider process of its own; without a refresh it reads the server itself.
      await closeAllSessions();
      const sessionsBefore = sessionCount(f);
      const news = await checked(combined(f));
      const { result: updated, text: said } = (await captureStderr(() => provider.update!(id, outs, news))) as {
        result: { outs: ProviderOutputs };
        text: string;
      };
      // diff said why in this operation already; update says what it does, not the reasons again.
      for (const line of text.split("\n").filter(Boolean)) assert.ok(!said.includes(line), `update repeats: ${line}`);
      assert.match(said, /assigning [0-9A-F]{40}/);
      // The certificate issued at create still satisfies the entry: reassigned, not requested again.
      assert.equal(f.emulator.certificationAuthority().requestCount, requestsBefore);
      // Over SSH one powershell.exe runs every script of the update; WinRM starts one per script.
      assert.equal(
        sessionCount(f) - sessionsBefore,
        transport === "ssh" ? 1 : 2,
        transport === "ssh" ? "an update reads and assigns in one PowerShell session" : "reads once, assigns once",
      );
      assert.equal(assignments(f).WebServicesExternal, outs.certificates[0].thumbprint);
      assert.deepEqual(setCsCertificateCalls(f).at(-1), ["WebServicesExternal"]);
      const again = await captureStderr(() => provider.diff!(id, updated.outs, combined(f)));
      assert.equal(again.result.changes, false, again.text);
    });

    it("reports a renewal due after the clock moves, and renews on update", async () => {
      const f = fixture!;
      const { id, outs } = await create(combined(f));
      await runAsAdmin(f, "Set-EmulatorTime -AddDays 600");
      const { result, text } = await captureStderr(() => provider.diff!(id, outs, combined(f)));
      assert.equal(result.changes, true);
      assert.match(
        text,
        /Default, WebServicesInternal, WebServicesExternal: renewal due \(expires \d{4}-\d{2}-\d{2}, renew after \d{4}-\d{2}-\d{2}\)/,
      );
      await provider.update!(id, outs, await checked(combined(f)));
      assert.notEqual(assignments(f).Default, outs.certificates[0].thumbprint);
    });

    it("renews a certificate shorter than renewBeforeDays at one third of its lifetime instead of on every run", async () => {
      const f = fixture!;
      f.emulator.setCaBehavior({ kind: "issue", validityDays: 30 });
      const inputs = combined(f, { renewBeforeDays: 45 });
      const { id, outs } = await create(inputs);
      const certificate = outs.certificates[0];
      assert.match(certificate.renewalNote ?? "", /renewBeforeDays \(45\) would renew .* one third/);
      const lifetime = Date.parse(certificate.notAfter!) - Date.parse(certificate.notBefore!);
      assert.equal(Date.parse(certificate.renewalTime!), Date.parse(certificate.notBefore!) + Math.ceil(lifetime / 3));
      const { result, text } = await captureStderr(() => provider.diff!(id, outs, inputs));
      assert.equal(result.changes, false, text);
    });

    for (const [behavior, words] of [
      ["deny", /Denied by Policy Module|denied/i],
      ["unreachable", /contact|unreachable/i],
      ["pending", /pending/i],
    ] as const) {
      it(`fails with a clear error and assigns nothing when the CA is ${behavior === "deny" ? "denying" : behavior}`, async () => {
        const f = fixture!;
        const before = assignments(f);
        f.emulator.setCaBehavior({ kind: behavior });
        await assert.rejects(create(combined(f)), (error: Error) => {
          assert.match(
            error.message,
            /requesting certificate for Default, WebServicesInternal, WebServicesExternal on .+ from dc\\myca: /,
          );
          assert.match(error.message, words);
          assert.match(error.message, /nothing was assigned/);
          return true;
        });
        assert.deepEqual(assignments(f), before);
        assert.deepEqual(setCsCertificateCalls(f), []);
      });
    }

    it("does not ask the CA again while its earlier request is still pending", async () => {
      const f = fixture!;
      f.emulator.setCaBehavior({ kind: "pending" });
      await assert.rejects(create(combined(f)), /pending/);
      const requests = f.emulator.certificationAuthority().requestCount;
      await assert.rejects(create(combined(f)), (error: Error) => {
        assert.match(error.message, /the CA keeps the request "[^"]*pulumi-lync 0badc0de #0 [^"]*" pending/);
        assert.match(error.message, /Request-CsCertificate -Retrieve/);
        return true;
      });
      assert.equal(f.emulator.certificationAuthority().requestCount, requests, "no second request");
    });

    it("assigns a pending request's certificate once it is approved and retrieved, without asking the CA again", async () => {
      const f = fixture!;
      f.emulator.setCaBehavior({ kind: "pending" });
      const requestId = await create(combined(f)).then(
        () => assert.fail("a pending request must not succeed"),
        (error: Error) => {
          assert.match(error.message, /Request-CsCertificate -Retrieve -RequestId (\d+)/);
          return Number(/-RequestId (\d+)/.exec(error.message)![1]);
        },
      );
      f.emulator.setCaBehavior({ kind: "issue" });
      await runAsAdmin(f, `Import-Module Lync; Request-CsCertificate -Retrieve -RequestId ${requestId}`);
      const requests = f.emulator.certificationAuthority().requestCount;
      const { outs } = await create(combined(f));
      assert.equal(f.emulator.certificationAuthority().requestCount, requests, "no second request");
      assert.equal(assignments(f).Default, outs.certificates[0].thumbprint);
    });

    it("converges without a second CA request after the connection drops between request and assignment", async () => {
      const f = fixture!;
      f.emulator
        .host(FE01)
        .emulator.setFaults([{ kind: "drop", command: "Request-CsCertificate", when: "after", times: 1 }]);
      await assert.rejects(create(combined(f)), /what (it|the script) changed is unknown, run again to converge/);
      assert.equal(f.emulator.certificationAuthority().requestCount, 1);
      const { outs } = await create(combined(f));
      assert.equal(f.emulator.certificationAuthority().requestCount, 1);
      assert.equal(assignments(f).Default, outs.certificates[0].thumbprint);
      const friendlyName = f.emulator.host(FE01).getCertificate(outs.certificates[0].thumbprint!)!.friendlyName;
      assert.match(friendlyName, /^pulumi-lync 0badc0de #0 /);
    });

    it("keeps the usages assigned successfully when another usage's assignment fails verification", async () => {
      const f = fixture!;
      const before = assignments(f);
      f.emulator.host(FE01).emulator.setFaults([{ kind: "ignoreSetCsCertificate", times: 1 }]);
      await assert.rejects(create(separate(f)), (error: Error) => {
        assert.match(error.message, /verification failed: Default holds [0-9A-F]{40}, expected [0-9A-F]{40}/);
        assert.match(error.message, /nothing was rolled back/);
        return true;
      });
      const after = assignments(f);
      assert.equal(after.Default, before.Default, "the usage whose assignment was ignored keeps its certificate");
      assert.notEqual(after.WebServicesInternal, before.WebServicesInternal, "the others keep their new certificates");
      assert.notEqual(after.WebServicesExternal, before.WebServicesExternal);
    });

    if (transport === "ssh") {
      it("refuses a server whose host key differs from the pinned one, naming host and both fingerprints", async () => {
        const f = fixture!;
        const other = f.emulator.servers.find((s) => s.fqdn !== FE01)!.hostKey;
        const inputs = combined(f);
        inputs.connection = { ...inputs.connection, hostKey: other };
        await assert.rejects(
          create(inputs),
          /connecting to 127\.0\.0\.1: host key mismatch: expected SHA256:\S+, the server presented SHA256:\S+; .*connection\.hostKey/,
        );
        assert.deepEqual(setCsCertificateCalls(f), []);
      });

      it("refuses a later different host key than the one recorded at create", async () => {
        const f = fixture!;
        const { id, outs } = await create(combined(f));
        const other = f.emulator.servers.find((s) => s.fqdn !== FE01)!.hostKey;
        await assert.rejects(
          provider.diff!(id, { ...outs, hostKey: other }, combined(f)),
          /host key mismatch.*recorded when the resource was created/,
        );
      });
    } else {
      it("refuses a listener whose certificate is not the pinned one, and assigns nothing", async () => {
        const f = fixture!;
        const other = f.emulator.servers.find((s) => s.fqdn !== FE01)!.winrmCertificateSha256;
        const inputs = combined(f);
        inputs.connection = { ...inputs.connection, certificateFingerprint: other };
        const before = assignments(f);
        await assert.rejects(
          create(inputs),
          /connecting to 127\.0\.0\.1: TLS certificate mismatch: expected SHA-256 \S+, the server presented \S+; .*connection\.certificateFingerprint/,
        );
        assert.deepEqual(assignments(f), before);
        assert.deepEqual(setCsCertificateCalls(f), []);
      });

      it("refuses a later different listener certificate than the one recorded at create", async () => {
        const f = fixture!;
        const { certificateFingerprint: _pin, ...unpinned } = connectionTo(f);
        const inputs = combined(f, { connection: unpinned });
        const { id, outs } = await create(inputs);
        assert.equal(outs.hostKey, `tls-sha256 ${connectionTo(f).certificateFingerprint}`);
        const other = f.emulator.servers.find((s) => s.fqdn !== FE01)!.winrmCertificateSha256;
        await assert.rejects(
          provider.diff!(id, { ...outs, hostKey: `tls-sha256 ${other}` }, inputs),
          /TLS certificate mismatch.*recorded when the resource was created/,
        );
      });

      it("fails on a wrong password with a clear message and assigns nothing", async () => {
        const f = fixture!;
        const before = assignments(f);
        const inputs = combined(f, { connection: { ...connectionTo(f), password: "wrong" } });
        await assert.rejects(create(inputs), /refused the NTLM logon of "lyncadmin" \(HTTP 401\)/);
        assert.deepEqual(assignments(f), before);
      });

      it("refuses WinRM's plain-HTTP listener with a clear message and assigns nothing", async () => {
        const f = fixture!;
        const before = assignments(f);
        const http = f.emulator.servers.find((s) => s.fqdn === FE01)!.winrmHttpPort;
        const inputs = combined(f, { connection: { ...connectionTo(f), port: http } });
        await assert.rejects(create(inputs), /does not speak TLS .*use the HTTPS listener/);
        assert.deepEqual(assignments(f), before);
      });
    }

    it("reads the live state on refresh, keeping the id and the inputs", async () => {
      const f = fixture!;
      const { id, outs } = await create(combined(f));
      const original = outs.certificates[0].previousThumbprints.Default!;
      await runAsAdmin(f, `Import-Module ${MODULE}; Set-CsCertificate -Type Default -Thumbprint ${original}`);
      const read = await provider.read!(id, outs);
      assert.equal(read.id, id);
      assert.equal(read.props.certificates[0].thumbprint, original);
      assert.deepEqual(read.inputs.certificates[0].usages, WEB);
      assert.equal(read.inputs.connection.host, outs.connection.host);
    });

    it("leaves the assignments in place on delete by default and unassigns with deletionPolicy unassign", async () => {
      const f = fixture!;
      const { id, outs } = await create(combined(f));
      const held = assignments(f);
      await provider.delete!(id, outs);
      assert.deepEqual(assignments(f), held);
      await provider.delete!(id, { ...outs, deletionPolicy: "unassign" });
      assert.deepEqual(assignments(f), {});
      assert.ok(f.emulator.host(FE01).getCertificate(held.Default), "the certificate stays in the store");
    });

    it("updates in place, keeping every usage assigned, when connection.host changes to another name of the same server", async () => {
      const f = fixture!;
      const { id, outs } = await create(combined(f, { deletionPolicy: "unassign" }));
      const held = assignments(f);
      const renamed = {
        ...combined(f, { deletionPolicy: "unassign" }),
        connection: { ...connectionTo(f), host: "localhost" },
      };
      const { result, text } = await captureStderr(async () => provider.diff!(id, outs, await checked(renamed)));
      assert.deepEqual(result.replaces, [], text);
      assert.match(
        text,
        /connection\.host changes from 127\.0\.0\.1 to localhost, which reaches the same server \(fe01\.contoso\.com\)/,
      );
      const updated = (await provider.update!(id, outs, await checked(renamed))) as { outs: ProviderOutputs };
      assert.equal(updated.outs.connection.host, "localhost");
      assert.deepEqual(assignments(f), held);

      // Another server behind the new name (here: another port) is another resource.
      const other = f.emulator.servers.find((s) => s.fqdn !== FE01)!.fqdn;
      const elsewhere = {
        ...combined(f, { deletionPolicy: "unassign" }),
        connection: { ...connectionTo(f, other), host: "localhost" },
      };
      const moved = await captureStderr(async () => provider.diff!(id, outs, await checked(elsewhere)));
      assert.deepEqual(moved.result.replaces, ["connection"], moved.text);
      assert.match(moved.text, new RegExp(`which reaches ${other.replace(/\./g, "\\.")}, not fe01\\.contoso\\.com`));
    });

    it("leaves usages whose live certificate differs from what it recorded assigned when deleting with deletionPolicy unassign", async () => {
      const f = fixture!;
      const { id, outs } = await create(combined(f, { deletionPolicy: "unassign" }));
      // Since create, another resource of the stack (or an administrator) gave WebServicesExternal
      // another certificate.
      const other = outs.certificates[0].previousThumbprints.WebServicesExternal!;
      await runAsAdmin(f, `Import-Module ${MODULE}; Set-CsCertificate -Type WebServicesExternal -Thumbprint ${other}`);
      const held = assignments(f);
      assert.notEqual(held.WebServicesExternal, outs.certificates[0].thumbprint);
      const { text } = await captureStderr(() => provider.delete!(id, outs) as Promise<void>);
      assert.deepEqual(assignments(f), { WebServicesExternal: held.WebServicesExternal });
      assert.match(text, new RegExp(`WebServicesExternal holds ${held.WebServicesExternal}`));
      assert.match(text, /left assigned/);
    });

    it("refreshes an entry whose certificate came as a PEM certificate and key", async () => {
      const f = fixture!;
      const certificate = makeCertificate({ dnsNames: ["webext.contoso.com"] });
      const { outs } = await create({
        connection: connectionTo(f),
        managementModule: MODULE,
        certificates: [
          {
            usages: ["WebServicesExternal"],
            subjectAlternativeNames: ["webext.contoso.com"],
            certificatePem: certificate.certificatePem,
          },
        ],
        certificateSecrets: [{ privateKeyPem: certificate.privateKeyPem }],
      });
      const thumbprint = inspectCertificate(certificate.certificatePem).thumbprint;
      assert.equal(assignments(f).WebServicesExternal, thumbprint);
      const read = await provider.read!("fe01", outs);
      assert.equal(read.props.certificates[0].thumbprint, thumbprint);
      assert.equal(JSON.stringify(read.props.certificates).includes("PRIVATE KEY"), false);
    });

    it("imports and assigns a PFX the user supplies, refusing one that lacks a required name", async () => {
      const f = fixture!;
      const certificate = makeCertificate({ dnsNames: ["webext.contoso.com", "meet.contoso.com"] });
      const inputs = {
        connection: connectionTo(f),
        // managementModule unset: the module the server has (Lync on the sample's Lync Server 2013).
        certificates: [
          {
            usages: ["WebServicesExternal"],
            subjectAlternativeNames: ["webext.contoso.com"],
            pfx: makePfx(certificate, "pfx'pass"),
            pfxPassword: "pfx'pass",
          },
        ],
      };
      // As the CertificateAssignment class sends them: the secrets apart from the entries.
      const { pfx, pfxPassword, ...entry } = inputs.certificates[0];
      const split = { ...inputs, certificates: [entry], certificateSecrets: [{ pfx, pfxPassword }] };
      const { outs } = await create(split);
      const thumbprint = inspectCertificate(certificate.certificatePem).thumbprint;
      assert.equal(assignments(f).WebServicesExternal, thumbprint);
      assert.equal(outs.certificates[0].thumbprint, thumbprint);
      assert.ok(!JSON.stringify(outs.certificates).includes(inputs.certificates[0].pfx));
      // The PFX went through a file of its own in the login user's TEMP, gone once imported.
      const imported = f.emulator
        .host(FE01)
        .emulator.auditLog()
        .filter((e) => e.command === "Import-CsCertificate")
        .map((e) => String(e.parameters.Path));
      assert.equal(imported.length, 1);
      assert.match(imported[0], /^C:\\Users\\lyncadmin\\AppData\\Local\\Temp\\pulumi-lync-[0-9a-f-]{36}\.pfx$/i);
      assert.equal(f.emulator.host(FE01).fileSystem.exists(imported[0]), false);
      // The secrets kept in the state for read and refresh, encrypted there as a secret.
      assert.deepEqual(outs.certificateSecrets, [{ pfx, pfxPassword }]);
      const read = await provider.read!("fe01", outs);
      assert.equal(read.props.certificates[0].thumbprint, thumbprint, "refresh reads a PFX entry as it is");

      const wrong = {
        ...inputs,
        certificates: [{ ...inputs.certificates[0], subjectAlternativeNames: ["dirext.contoso.com"] }],
      };
      await assert.rejects(create(wrong), /cannot be assigned: certificate lacks dirext\.contoso\.com/);
    });

    it("creates an offline request whose CSR becomes an output, then imports the issued certificate", async () => {
      const f = fixture!;
      const inputs = {
        connection: connectionTo(f),
        managementModule: MODULE,
        resourceKey: "0ff11e00",
        certificates: [
          {
            usages: ["WebServicesExternal"],
            subjectAlternativeNames: ["webext.contoso.com", "lyncdiscover.contoso.com"],
            offline: true,
          },
        ],
      };
      const before = assignments(f);
      const { id, outs } = await create(inputs);
      const csrPem = outs.certificates[0].csr!;
      assert.match(csrPem, /BEGIN (NEW )?CERTIFICATE REQUEST/);
      assert.deepEqual(assignments(f), before);
      const waiting = await captureStderr(() => provider.diff!(id, outs, inputs));
      assert.equal(waiting.result.changes, false, waiting.text);

      // A public CA signs the CSR.
      const csr = forge.pki.certificationRequestFromPem(csrPem);
      const caKey = forge.pki.privateKeyFromPem(makeCertificate().privateKeyPem);
      const issued = forge.pki.createCertificate();
      issued.publicKey = csr.publicKey!;
      issued.serialNumber = "0a1b2c";
      issued.validity.notBefore = new Date(Date.now() - 60_000);
      issued.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
      issued.setSubject(csr.subject.attributes);
      issued.setIssuer([{ name: "commonName", value: "Public Test CA" }]);
      const sans = (
        csr.getAttribute({ name: "extensionRequest" }) as {
          extensions?: { name: string; altNames: unknown[] }[];
        } | null
      )?.extensions?.find((e) => e.name === "subjectAltName");
      issued.setExtensions([
        { name: "subjectAltName", altNames: sans?.altNames ?? [{ type: 2, value: "webext.contoso.com" }] },
        { name: "extKeyUsage", serverAuth: true },
      ]);
      issued.sign(caKey, forge.md.sha256.create());
      const issuedPem = forge.pki.certificateToPem(issued);
      const answered = { ...inputs, certificates: [{ ...inputs.certificates[0], issuedCertificatePem: issuedPem }] };
      const diff = await captureStderr(() => provider.diff!(id, outs, answered));
      assert.equal(diff.result.changes, true);
      await provider.update!(id, outs, await checked(answered));
      assert.equal(assignments(f).WebServicesExternal, inspectCertificate(issuedPem).thumbprint);
    });

    it("returns every input failure from check without connecting", async () => {
      const result = await provider.check!(
        {},
        {
          connection: { host: "unreachable.invalid", password: "x" },
          certificates: [
            { usages: ["Default", "Nope"], subjectAlternativeNames: ["*.contoso.com", "x'y.contoso.com"], ca: "myca" },
          ],
        },
      );
      assert.deepEqual(result.failures?.map((f) => f.property).sort(), [
        "certificates[0].ca",
        "certificates[0].subjectAlternativeNames[1]",
        "certificates[0].usages",
      ]);
    });

    it("fails a preview against an unreachable server with a message naming host and port", async () => {
      const f = fixture!;
      const { id, outs } = await create(combined(f));
      const port = connectionTo(f).port;
      await f.emulator.stop();
      // A preview runs in a provider process of its own: no connection of this one's is left.
      await closeAllSessions();
      await assert.rejects(
        provider.diff!(id, outs, combined(f)),
        new RegExp(
          `connecting to 127\\.0\\.0\\.1:${port} as lyncadmin over ${transport === "ssh" ? "SSH" : "WinRM"} failed after 2 attempts`,
        ),
      );
      fixture = await startFixture();
    });
  });
