// Rolls new certificates out to every server of a Front End pool and restarts the Lync services
// one server at a time, each after its own assignment, so the pool keeps serving throughout.
import * as pulumi from "@pulumi/pulumi";
import { PoolCertificateRollout } from "./poolCertificateRollout";

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

const rollout = new PoolCertificateRollout(pool.fqdn, {
  servers: pool.servers.map((server) => ({
    fqdn: server.fqdn,
    connection: { host: server.host ?? server.fqdn, port: server.port ?? 22, user, password, hostKey: server.hostKey },
  })),
  certificates: (server) => [
    {
      usages: ["Default", "WebServicesInternal", "WebServicesExternal"],
      subject: pool.fqdn,
      subjectAlternativeNames: [server.fqdn, pool.fqdn, pool.internalWebFqdn, pool.externalWebFqdn, ...simpleUrls],
      ca,
    },
  ],
  sipDomains: sipDomains.map((name) => ({ name, mobility: true })),
});

/** The new thumbprints per server. */
export const thumbprints = rollout.thumbprints;
