// The deployment's OAuthTokenIssuer certificate: the one certificate Lync signs server-to-server
// (OAuth) tokens with, trusted by Exchange and SharePoint. It is global: requested once through
// the first Front End and assigned with -Identity global; Lync's replication copies it, with its
// key, to every other Front End and Director. Preview names the servers that have not received it
// yet. A renewal is staged with -Roll a day ahead (roll.leadTime), so every server has the new
// certificate before it signs a token, and the previous one is removed once the new one is current
// everywhere.
import * as pulumi from "@pulumi/pulumi";
import { OAuthTokenIssuer } from "pulumi-lync-certificates";

interface ServerConfig {
  fqdn: string;
  /** @default the fqdn */
  host?: string;
  /** @default 22 */
  port?: number;
  hostKey?: string;
}

const config = new pulumi.Config();
/** Every Front End and Director; the first one assigns the certificate. */
const servers = config.requireObject<ServerConfig[]>("servers");
const user = config.require("user");
const password = config.requireSecret("password");

const oauth = new OAuthTokenIssuer("oauth-token-issuer", {
  servers: servers.map((server) => ({
    host: server.host ?? server.fqdn,
    port: server.port ?? 22,
    user,
    password,
    hostKey: server.hostKey,
  })),
  ca: config.get("ca") ?? "dc\\myca",
  keySize: 2048,
  // What the topology's replication takes; the roll's lead time may not be shorter.
  replicationDelay: config.get("replicationDelay") ?? "15m",
  roll: { leadTime: config.get("leadTime") ?? "24h" },
  renewBeforeDays: config.getNumber("renewBeforeDays"),
});

/** The certificate in force, and the servers that have received it. */
export const thumbprint = oauth.thumbprint;
export const notAfter = oauth.notAfter;
export const serversWithCertificate = oauth.serversWithCertificate;
/** A renewal waiting to take over, and when. */
export const stagedThumbprint = oauth.stagedThumbprint;
export const effectiveDate = oauth.effectiveDate;
