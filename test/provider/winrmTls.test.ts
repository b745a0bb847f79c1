import assert from "node:assert/strict";
import { createServer, type Server } from "node:https";
import { dialTls, TlsCertificateUntrustedError } from "pulumi-lync-certificates/dist/winrmTls";
import { PublicCa } from "../support/publicCa";

// The listener's certificate checked against a CA the user gives: a chain to that CA and the host's
// name are both required. The emulator's listeners name only their FQDN, so this runs its own.
describe("winrmTls: a listener verified against connection.caCertificate", function () {
  this.timeout(60_000);
  const issuer = new PublicCa();
  const other = new PublicCa();
  const pair = issuer.issuePair(2048, "localhost", ["localhost"]);
  let server: Server;
  let port: number;
  before(async () => {
    server = createServer({ cert: pair.certificatePem, key: pair.privateKeyPem }, (_request, response) =>
      response.end(),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => server.close());

  const dial = (host: string, caCertificate: string) =>
    dialTls({ host, transport: "winrm", caCertificate }, port, undefined, 5000).then(({ socket, identity }) => {
      socket.destroy();
      return identity;
    });

  it("accepts a certificate that chains to the CA and names the host, and records it as verified", async () => {
    assert.match(await dial("localhost", issuer.rootCertificatePem), /^tls-sha256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it("refuses a certificate issued by another CA, naming the field to fix", async () => {
    await assert.rejects(dial("localhost", other.rootCertificatePem), (error: Error) => {
      assert.ok(error instanceof TlsCertificateUntrustedError);
      assert.match(error.message, /not trusted by connection\.caCertificate/);
      return true;
    });
  });

  it("refuses a certificate from the right CA that does not name the host connected to", async () => {
    await assert.rejects(dial("127.0.0.1", issuer.rootCertificatePem), /does not name 127\.0\.0\.1/);
  });
});
