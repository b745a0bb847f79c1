// Certificates that do not come from the internal CA:
// - WebServicesExternal from a public CA: the first `pulumi up` makes an offline request on the
//   server and exports its CSR; once the CA has issued the certificate, put it in config
//   (`pulumi config set issuedCertificatePem -- "$(cat issued.pem)"`) and `pulumi up` imports and
//   assigns it.
// - Default and WebServicesInternal from a PFX you already have (bring your own certificate).
import * as pulumi from "@pulumi/pulumi";
import { CertificateAssignment } from "pulumi-lync-certificates";

interface ServerConfig {
  fqdn: string;
  /** @default the fqdn */
  host?: string;
  /** @default 22 */
  port?: number;
  hostKey?: string;
}

interface PoolConfig {
  fqdn: string;
  internalWebFqdn: string;
  externalWebFqdn: string;
}

const config = new pulumi.Config();
const server = config.requireObject<ServerConfig>("server");
const pool = config.requireObject<PoolConfig>("pool");
const sipDomains = config.getObject<string[]>("sipDomains") ?? [];
const user = config.require("user");
const password = config.requireSecret("password");
/** PEM of the certificate the public CA issued for the CSR; absent until then. */
const issuedCertificatePem = config.get("issuedCertificatePem");
/** Base64 of the PFX (PKCS#12) holding the certificate and its private key. */
const pfx = config.requireSecret("pfx");
const pfxPassword = config.requireSecret("pfxPassword");

const assignment = new CertificateAssignment(server.fqdn, {
  connection: { host: server.host ?? server.fqdn, port: server.port ?? 22, user, password, hostKey: server.hostKey },
  certificates: [
    {
      usages: ["WebServicesExternal"],
      subject: pool.externalWebFqdn,
      subjectAlternativeNames: [pool.externalWebFqdn],
      offline: true,
      issuedCertificatePem,
    },
    {
      usages: ["Default", "WebServicesInternal"],
      subjectAlternativeNames: [server.fqdn, pool.fqdn, pool.internalWebFqdn],
      pfx,
      pfxPassword,
    },
  ],
  sipDomains: sipDomains.map((name) => ({ name, mobility: true })),
});

const external = assignment.certificates.apply((entries) =>
  entries.find((c) => c.usages.includes("WebServicesExternal")),
);

/** The PKCS#10 request to send to the public CA (PEM); stays the same until the issued certificate is imported. */
export const csr = external.apply((c) => c?.csr);
/** Empty until the issued certificate is supplied and assigned. */
export const externalThumbprint = external.apply((c) => c?.thumbprint);
export const internalThumbprint = assignment.certificates.apply(
  (entries) => entries.find((c) => c.usages.includes("Default"))?.thumbprint,
);
