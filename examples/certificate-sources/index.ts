// Every way a certificate reaches a Front End, on one pool:
// - fe01: Default from a PFX you already have (any key size, with its chain), WebServicesInternal
//   from a PEM certificate and its private key, WebServicesExternal from a public CA (the first
//   `pulumi up` exports the offline request's CSR; supply the issued certificate and run it again).
// - fe02: one certificate per usage from the internal CA, requested with a CA account of its own
//   (caAccount/caPassword), as needed when the login cannot reach the CA itself (an SSH key login,
//   any WinRM logon).
// Passwords, the PFX and the private key are secrets: they reach the server as data bound to the
// script's parameters, never as script text or on a command line.
import * as pulumi from "@pulumi/pulumi";
import { CertificateAssignment, type ConnectionArgs } from "pulumi-lync-certificates";

interface ServerConfig {
  fqdn: string;
  /** @default the fqdn */
  host?: string;
  /** @default 22 over SSH, 5986 over WinRM */
  port?: number;
  /** Pins an SSH connection. */
  hostKey?: string;
  /** Pins a WinRM connection: the SHA-256 fingerprint of the listener's TLS certificate. */
  certificateFingerprint?: string;
}

interface PoolConfig {
  fqdn: string;
  internalWebFqdn: string;
  externalWebFqdn: string;
  /** Two servers: the first gets certificates you supply, the second the internal CA's. */
  servers: [ServerConfig, ServerConfig];
}

const config = new pulumi.Config();
const pool = config.requireObject<PoolConfig>("pool");
const sipDomains = config.getObject<string[]>("sipDomains") ?? [];
const user = config.require("user");
const password = config.requireSecret("password");
const [supplied, requested] = pool.servers;

// "winrm" reaches the servers through WinRM's HTTPS listener instead of OpenSSH.
const winrm = config.get("transport") === "winrm";

const connection = (server: ServerConfig): ConnectionArgs =>
  winrm
    ? {
        transport: "winrm",
        host: server.host ?? server.fqdn,
        port: server.port ?? 5986,
        user,
        password,
        certificateFingerprint: server.certificateFingerprint,
      }
    : { host: server.host ?? server.fqdn, port: server.port ?? 22, user, password, hostKey: server.hostKey };

const fe01 = new CertificateAssignment(supplied.fqdn, {
  connection: connection(supplied),
  certificates: [
    {
      usages: ["Default"],
      subjectAlternativeNames: [supplied.fqdn, pool.fqdn],
      pfx: config.requireSecret("pfx"),
      pfxPassword: config.requireSecret("pfxPassword"),
    },
    {
      usages: ["WebServicesInternal"],
      subjectAlternativeNames: [pool.internalWebFqdn],
      certificatePem: config.require("certificatePem"),
      privateKeyPem: config.requireSecret("privateKeyPem"),
    },
    {
      usages: ["WebServicesExternal"],
      subjectAlternativeNames: [pool.externalWebFqdn],
      offline: true,
      issuedCertificatePem: config.get("issuedCertificatePem"),
    },
  ],
  sipDomains: sipDomains.map((name) => ({ name, mobility: true })),
});

const ca = config.get("ca") ?? "dc\\myca";
const caAccount = config.require("caAccount");
const caPassword = config.requireSecret("caPassword");
const fromCa = (usage: string, names: string[]) => ({
  usages: [usage],
  subjectAlternativeNames: names,
  ca,
  caAccount,
  caPassword,
});

const fe02 = new CertificateAssignment(requested.fqdn, {
  connection: connection(requested),
  certificates: [
    fromCa("Default", [requested.fqdn, pool.fqdn]),
    fromCa("WebServicesInternal", [pool.internalWebFqdn]),
    fromCa("WebServicesExternal", [pool.externalWebFqdn]),
    // The token-signing certificate of passive (ADFS) authentication, also a Front End usage.
    fromCa("WsFedTokenTransfer", [requested.fqdn]),
  ],
  sipDomains: sipDomains.map((name) => ({ name, mobility: true })),
});

/** The offline request for the public CA (PEM); stays the same until the issued certificate is imported. */
export const csr = fe01.certificates.apply(
  (entries) => entries.find((c) => c.usages.includes("WebServicesExternal"))?.csr,
);

/** Thumbprint per usage and server. */
export const thumbprints = pulumi.all([fe01.certificates, fe02.certificates]).apply(([one, two]) =>
  Object.fromEntries(
    [
      [supplied.fqdn, one],
      [requested.fqdn, two],
    ].map(([fqdn, entries]) => [
      fqdn as string,
      Object.fromEntries(
        (entries as typeof one).flatMap((c) => c.usages.map((usage) => [usage, c.thumbprint ?? null])),
      ),
    ]),
  ),
);
