// The separate layout: Default, WebServicesInternal and WebServicesExternal each get their own
// certificate with only the names that usage serves. The provider assigns each usage with its own
// Set-CsCertificate call, never one multi-type call, since the certificates differ.
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
  servers: ServerConfig[];
}

const config = new pulumi.Config();
const pool = config.requireObject<PoolConfig>("pool");
const simpleUrls = config.getObject<string[]>("simpleUrls") ?? [];
const sipDomains = config.getObject<string[]>("sipDomains") ?? [];
const ca = config.get("ca") ?? "dc\\myca";
const user = config.require("user");
const password = config.requireSecret("password");

const assignments = pool.servers.map(
  (server) =>
    new CertificateAssignment(server.fqdn, {
      connection: {
        host: server.host ?? server.fqdn,
        port: server.port ?? 22,
        user,
        password,
        hostKey: server.hostKey,
      },
      certificates: [
        {
          usages: ["Default"],
          subject: pool.fqdn,
          subjectAlternativeNames: [server.fqdn, pool.fqdn],
          ca,
        },
        {
          usages: ["WebServicesInternal"],
          subject: pool.internalWebFqdn,
          subjectAlternativeNames: [pool.internalWebFqdn, server.fqdn, ...simpleUrls],
          ca,
        },
        {
          usages: ["WebServicesExternal"],
          subject: pool.externalWebFqdn,
          subjectAlternativeNames: [pool.externalWebFqdn, ...simpleUrls],
          ca,
        },
      ],
      // Mobility names land on the web services certificates only: lyncdiscoverinternal.<domain> on
      // the internal one, lyncdiscover.<domain> on the external one.
      sipDomains: sipDomains.map((name) => ({ name, mobility: true })),
    }),
);

/** Thumbprint per usage and server: three different thumbprints per server. */
export const thumbprints = Object.fromEntries(
  pool.servers.map((server, i) => [
    server.fqdn,
    assignments[i].certificates.apply((entries) =>
      Object.fromEntries(entries.flatMap((c) => c.usages.map((usage) => [usage, c.thumbprint]))),
    ),
  ]),
);
