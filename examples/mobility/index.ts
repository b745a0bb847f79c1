// Deploying mobility: every server of a Front End pool gets one certificate for Default,
// WebServicesInternal and WebServicesExternal that also carries lyncdiscoverinternal.<domain> and
// lyncdiscover.<domain> for every SIP domain, requested online from the internal CA.
import * as pulumi from "@pulumi/pulumi";
import { CertificateAssignment, type ConnectionArgs } from "pulumi-lync-certificates";

/** One server of the pool and how to reach it over SSH or WinRM. */
interface ServerConfig {
  fqdn: string;
  /** @default the fqdn */
  host?: string;
  /** @default 22 over SSH, 5986 over WinRM */
  port?: number;
  /** OpenSSH public key line of the server; pins an SSH connection. */
  hostKey?: string;
  /** SHA-256 fingerprint of the WinRM listener's TLS certificate; pins a WinRM connection. */
  certificateFingerprint?: string;
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
const sipDomains = config.requireObject<string[]>("sipDomains");
const ca = config.get("ca") ?? "dc\\myca";
const user = config.require("user");
const password = config.requireSecret("password");
// "winrm" reaches the servers through the remote PowerShell every Windows Server has (port 5986).
const transport = config.get("transport") === "winrm" ? "winrm" : "ssh";
// A WinRM logon has no network credentials (the double hop): the CA request needs an account of its own.
const caAccount = config.get("caAccount");
const caPassword = config.getSecret("caPassword");

const connection = (server: ServerConfig): ConnectionArgs =>
  transport === "winrm"
    ? {
        transport: "winrm",
        host: server.host ?? server.fqdn,
        port: server.port ?? 5986,
        user,
        password,
        certificateFingerprint: server.certificateFingerprint,
      }
    : { host: server.host ?? server.fqdn, port: server.port ?? 22, user, password, hostKey: server.hostKey };

const assignments = pool.servers.map(
  (server) =>
    new CertificateAssignment(server.fqdn, {
      connection: connection(server),
      certificates: [
        {
          usages: ["Default", "WebServicesInternal", "WebServicesExternal"],
          subject: pool.fqdn,
          subjectAlternativeNames: [server.fqdn, pool.fqdn, pool.internalWebFqdn, pool.externalWebFqdn, ...simpleUrls],
          ca,
          caAccount,
          caPassword,
        },
      ],
      // Adds lyncdiscoverinternal.<domain> and lyncdiscover.<domain> to the combined certificate.
      sipDomains: sipDomains.map((name) => ({ name, mobility: true })),
    }),
);

/** What each server now serves: thumbprint, expiry and names per certificate. */
export const certificates = Object.fromEntries(
  pool.servers.map((server, i) => [
    server.fqdn,
    assignments[i].certificates.apply((entries) =>
      entries.map((c) => ({
        usages: c.usages,
        thumbprint: c.thumbprint,
        notAfter: c.notAfter,
        renewalTime: c.renewalTime,
        alternativeNames: c.alternativeNames,
      })),
    ),
  ]),
);
