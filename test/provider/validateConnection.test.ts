import assert from "node:assert/strict";
import { validateInputs } from "pulumi-lync-certificates/dist/validateInputs";

const winrm = { transport: "winrm", host: "fe01.contoso.com", user: "CONTOSO\\lyncadmin", password: "p" };
const entry = { usages: ["Default"], subjectAlternativeNames: ["fe01.contoso.com"], ca: "dc\\myca" };
const withCaAccount = { ...entry, caAccount: "CONTOSO\\certadmin", caPassword: "c" };

function failures(connection: unknown, certificates: unknown[] = [withCaAccount]) {
  return validateInputs({ connection, certificates }).failures;
}

function properties(connection: unknown, certificates?: unknown[]) {
  return failures(connection, certificates).map((f) => f.property);
}

describe("validateInputs: the connection's transport", () => {
  it("accepts a WinRM connection with a user and password, NTLM by default", () => {
    assert.deepEqual(failures(winrm), []);
    assert.deepEqual(failures({ ...winrm, authentication: "basic", user: "lyncadmin" }), []);
  });

  it("refuses an unknown transport, naming both choices", () => {
    const [failure] = failures({ ...winrm, transport: "psrp" });
    assert.equal(failure.property, "connection.transport");
    assert.match(failure.reason, /"psrp"/);
    assert.match(failure.reason, /"ssh".*"winrm"/);
  });

  it("refuses each SSH-only field on a WinRM connection, naming it", () => {
    const sshOnly = {
      ...winrm,
      privateKey: "k",
      privateKeyPassword: "kp",
      hostKey: "ssh-ed25519 AAAA",
      proxy: { host: "bastion", user: "u", password: "p" },
    };
    assert.deepEqual(properties(sshOnly).sort(), [
      "connection.hostKey",
      "connection.privateKey",
      "connection.privateKeyPassword",
      "connection.proxy",
    ]);
    for (const failure of failures(sshOnly)) assert.match(failure.reason, /SSH connections only/);
  });

  it("refuses each WinRM-only field on an SSH connection, pointing to transport", () => {
    const ssh = { host: "fe01", user: "u", password: "p", authentication: "ntlm", insecure: true };
    assert.deepEqual(properties(ssh).sort(), ["connection.authentication", "connection.insecure"]);
    for (const failure of failures(ssh)) assert.match(failure.reason, /transport to "winrm"/);
  });

  it("needs a user and a password over WinRM", () => {
    const { user: _user, password: _password, ...bare } = winrm;
    assert.deepEqual(properties(bare).sort(), ["connection.password", "connection.user"]);
  });

  it("refuses Basic for a domain account: Windows takes Basic for local accounts only", () => {
    const [failure] = failures({ ...winrm, authentication: "basic" });
    assert.equal(failure.property, "connection.authentication");
    assert.match(failure.reason, /local accounts only/);
    assert.match(failure.reason, /"ntlm"/);
  });

  it("trusts the listener's certificate one way at most", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    assert.deepEqual(properties({ ...winrm, caCertificate: pem, insecure: true }), ["connection.insecure"]);
    assert.deepEqual(properties({ ...winrm, caCertificate: pem, insecure: false }), []);
  });

  it("normalises a fingerprint to upper case with colons and refuses one that is not SHA-256", () => {
    const hex = "ab".repeat(32);
    const { inputs } = validateInputs({
      connection: { ...winrm, certificateFingerprint: `sha256:${hex}` },
      certificates: [withCaAccount],
    });
    assert.equal(
      (inputs.connection as { certificateFingerprint?: string }).certificateFingerprint,
      Array(32).fill("AB").join(":"),
    );
    const [failure] = failures({ ...winrm, certificateFingerprint: "ab".repeat(20) });
    assert.equal(failure.property, "connection.certificateFingerprint");
    assert.match(failure.reason, /64 hexadecimal digits/);
  });

  it("refuses an online request over WinRM without caAccount: the double hop", () => {
    const [failure] = failures(winrm, [entry]);
    assert.equal(failure.property, "certificates[0].caAccount");
    assert.match(failure.reason, /double hop/);
    assert.match(failure.reason, /caAccount and caPassword/);
  });

  it("never echoes the password of a WinRM connection", () => {
    for (const failure of failures({ ...winrm, password: "S3cret!", hostKey: "x", authentication: "kerberos" }, [
      entry,
    ]))
      assert.doesNotMatch(failure.reason, /S3cret!/);
  });
});
