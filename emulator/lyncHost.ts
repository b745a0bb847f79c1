// The contract between the emulator's server state and the Cs cmdlets.
//
// Each emulated server is one LyncHost; a cmdlet finds it in CommandContext.host and reads or
// changes the server only through it. The server side (lyncServer.ts and what it owns: the
// topology, the certificate store, the CA, the clock, faults, persistence) implements it; the
// cmdlets in cmdlets/ use it. Plain data only, so the whole state can be written to disk as JSON.

import type { VirtualFileSystem } from "./powershell/session";

/** The usages a Front End or Director serves with (and requests); see checkUsagesForRole. */
export const FRONT_END_CERT_TYPES = ["Default", "WebServicesInternal", "WebServicesExternal"] as const;

/** The usages of an Edge Server. */
export const EDGE_CERT_TYPES = [
  "Internal",
  "External",
  "AccessEdgeExternal",
  "DataEdgeExternal",
  "AudioVideoAuthentication",
  "XmppServer",
] as const;

/** Microsoft.Rtc.Management.Deployment.CertType, in the order of its numeric values. */
export const CERT_TYPES = [
  ...FRONT_END_CERT_TYPES,
  ...EDGE_CERT_TYPES,
  "OAuthTokenIssuer",
  "iPhoneAPNService",
  "iPadAPNService",
  "MPNService",
  "PICWebService",
  "ProvisionService",
  "WsFedTokenTransfer",
  "LogRetentionService",
  "SMPDNSWebService",
  "TenantAdmin",
  "UpgradeEngineService",
] as const;
export type CertType = (typeof CERT_TYPES)[number];
export const CERT_TYPE_ENUM_NAME = "Microsoft.Rtc.Management.Deployment.CertType";

/** Types assigned once for the deployment (Set-CsCertificate -Identity global) and shared by every server. */
export const GLOBAL_CERT_TYPES: readonly CertType[] = ["OAuthTokenIssuer"];

/**
 * Roles whose servers receive the global certificates from the Central Management store. Microsoft's pages
 * name the Front End Servers; Directors also run the web services that validate OAuth tokens [guess].
 */
export const GLOBAL_CERTIFICATE_ROLES: readonly Pool["role"][] = ["FrontEnd", "Director"];

/**
 * The Windows services Get-CsWindowsService lists for a server role (Lync Server 2013 / SfB 2015), in the
 * order Stop-CsWindowsService stops them: the logging agent and the replica replicator first, W3SVC last.
 * W3SVC (IIS) is among them since Lync 2013: -LeaveWebServerRunning exists to spare it; RTCCLSAGT is the
 * centralized logging agent that -LeaveClsAgentRunning spares. REPLICA is the Replica Replicator Agent.
 * The Director and Edge lists and the order are [guess].
 */
export const LYNC_SERVICES_BY_ROLE: Readonly<Record<Pool["role"], readonly string[]>> = {
  FrontEnd: [
    "RTCCLSAGT",
    "REPLICA",
    "RTCSRV",
    "RTCASMCU",
    "RTCATS",
    "RTCAVMCU",
    "RTCCAA",
    "RTCCAS",
    "RTCCPS",
    "RTCDATAMCU",
    "RTCHOST",
    "RTCIMMCU",
    "RTCMEDSRV",
    "RTCRGS",
    "W3SVC",
  ],
  Director: ["RTCCLSAGT", "REPLICA", "RTCSRV", "W3SVC"],
  Edge: ["RTCCLSAGT", "REPLICA", "RTCSRV", "RTCMEDIARELAY", "RTCDATAPROXY", "RTCMRAUTH"],
};

/** How long the replication service takes to deploy a global certificate, when the topology does not say. [guess] */
export const DEFAULT_REPLICATION_DELAY_MINUTES = 5;

// ---- Topology (loaded from emulator/topologies/*.json) ----

export interface Topology {
  /** SIP domains, primary first. */
  readonly sipDomains: readonly string[];
  readonly sites: readonly { readonly name: string }[];
  readonly pools: readonly Pool[];
  /** Simple URLs as FQDNs, e.g. meet.contoso.com; they become SANs of Default/web services certificates. */
  readonly simpleUrls: { readonly meet: readonly string[]; readonly dialin: string; readonly admin?: string };
  readonly certificationAuthorities: readonly CertificationAuthorityDefinition[];
  /**
   * The program Windows OpenSSH runs exec requests through (HKLM:\SOFTWARE\OpenSSH DefaultShell) on every
   * server without a pool-level value. @default "cmd"
   */
  readonly defaultShell?: DefaultShell;
  /**
   * Minutes between a global assignment (Set-CsCertificate/Import-CsCertificate -Identity global) and its
   * certificate, with the private key, landing in another server's Cert:\LocalMachine\My, measured on that
   * server's clock. @default 5
   */
  readonly replicationDelayMinutes?: number;
}

/** OpenSSH's DefaultShell: cmd.exe (Windows' default) or Windows PowerShell 5.1. */
export type DefaultShell = "cmd" | "powershell";

export interface Pool {
  readonly fqdn: string;
  readonly site: string;
  readonly role: "FrontEnd" | "Director" | "Edge";
  /** Member server FQDNs; each is its own SSH endpoint. */
  readonly servers: readonly string[];
  readonly internalWebFqdn?: string;
  readonly externalWebFqdn?: string;
  /** Overrides the topology's defaultShell for this pool's servers. */
  readonly defaultShell?: DefaultShell;
  /** The product the pool's servers run; it decides their management module. @default "Lync2013" */
  readonly version?: ProductVersion;
}

/**
 * Lync Server 2013 (management module `Lync`), Skype for Business Server 2015, 2019 or Subscription
 * Edition (module `SkypeForBusiness`); a server has its product's module and no other.
 */
export type ProductVersion = "Lync2013" | "SfB2015" | "SfB2019" | "SfBSE";

/** The PowerShell module that holds the Cs cmdlets on a server. */
export type ManagementModule = "Lync" | "SkypeForBusiness";

export interface CertificationAuthorityDefinition {
  /** As Request-CsCertificate -Ca takes it: "<CA host>\<CA name>", e.g. "dc\myca". Matched case-insensitively. */
  readonly name: string;
  /** The CA certificate's common name, e.g. "contoso-DC-CA". */
  readonly commonName: string;
  /** Accounts allowed to enroll (case-insensitive, "DOMAIN\user" or "user"); others get the CA's access-denied failure. */
  readonly enrollers: readonly string[];
  /** Template names the CA offers, e.g. ["WebServer"]; the default template is "WebServer". */
  readonly templates: readonly string[];
}

// ---- Certificates as the server keeps them ----

/** An entry of Cert:\LocalMachine\My. */
export interface StoredCertificate {
  /** 40 upper-case hex characters: SHA-1 of the DER certificate. */
  readonly thumbprint: string;
  readonly certificatePem: string;
  /** PKCS#8 PEM; absent for a certificate imported without its key (HasPrivateKey false). */
  readonly privateKeyPem?: string;
  readonly friendlyName: string;
  readonly privateKeyExportable: boolean;
}

/** An entry of Cert:\LocalMachine\REQUEST: an offline request waiting for its issued certificate. */
export interface PendingRequest {
  /** Thumbprint of the placeholder Windows keeps in the REQUEST store. */
  readonly thumbprint: string;
  readonly csrPem: string;
  readonly privateKeyPem: string;
  readonly friendlyName: string;
  /** Where -Output wrote the CSR. */
  readonly outputPath: string;
  readonly types: readonly CertType[];
}

/**
 * What Lync keeps for one usage: the current certificate and the one it replaced. After -Roll the current
 * certificate is staged: until effectiveDate (on each server's clock) the previous one stays in force.
 */
export interface Assignment {
  readonly type: CertType;
  readonly thumbprint: string;
  readonly previousThumbprint?: string;
  /** Set by -Roll -EffectiveDate (ISO 8601 UTC): the time the current certificate takes over. */
  readonly effectiveDate?: string;
}

// ---- The CA as a server sees it ----

export type CaBehavior =
  | { readonly kind: "issue"; readonly validityDays?: number }
  | { readonly kind: "deny" }
  | { readonly kind: "pending" }
  | { readonly kind: "unreachable" }
  | { readonly kind: "slow"; readonly delayMs: number; readonly validityDays?: number };

export type CaOutcome =
  | { readonly status: "Issued"; readonly certificatePem: string; readonly requestId: number }
  | { readonly status: "Denied"; readonly message: string; readonly requestId: number }
  | { readonly status: "Pending"; readonly requestId: number };

export interface CaClient {
  /**
   * Submits a PKCS#10 request. Throws a PowerShellError with Lync's text when the CA cannot be
   * contacted, the caller cannot authenticate to it, the account lacks enroll rights or the template is unknown.
   */
  submit(request: {
    readonly ca: string;
    readonly csrPem: string;
    readonly template?: string;
    /** The account the request runs as: the session's user, or -CaAccount once its password is checked. */
    readonly account: string;
    /**
     * False when the caller's logon has no network credentials (a key login, the double hop): the CA's
     * DCOM interface then sees an anonymous caller and refuses it. @default true
     */
    readonly networkCredentials?: boolean;
    /** Request-CsCertificate -ClientEku $true: add the Client Authentication EKU. @default false */
    readonly clientEku?: boolean;
  }): Promise<CaOutcome>;
  /**
   * Request-CsCertificate -Retrieve: the outcome of an earlier pending request. Like submit, it fails for a
   * caller without network credentials.
   */
  retrieve(ca: string, requestId: number, caller?: { readonly networkCredentials?: boolean }): Promise<CaOutcome>;
  /** PEM of every CA root the server trusts (what the issued certificates chain to). */
  trustedRootsPem(): readonly string[];
}

// ---- The host a cmdlet runs on ----

/**
 * How a remote session logged on. Windows OpenSSH gives a password login a logon session with network
 * credentials; a key login (S4U) has none, so it cannot authenticate to a third machine such as the CA.
 * Neither has a WinRM logon over NTLM or Basic (only CredSSP or Kerberos delegation would): the same double hop.
 */
export type LoginKind = "password" | "publickey" | "winrm-ntlm" | "winrm-basic";

export interface LyncHost {
  /** This server's FQDN, e.g. fe01.contoso.com. */
  readonly fqdn: string;
  readonly topology: Topology;
  /** The pool this server belongs to. */
  readonly pool: Pool;
  /** The SSH user running the script, e.g. "CONTOSO\lyncadmin" (CA rights are checked against it). */
  readonly user: string;
  /** How that user logged on; only a "password" session carries network credentials (the others meet the double hop). */
  readonly loginKind: LoginKind;
  /**
   * A logon with explicit credentials (what -CaAccount/-CaPassword do): the account as "DOMAIN\user" when
   * it is one of the emulator's users ("CONTOSO\lyncadmin" names "lyncadmin") and the password is its
   * password; undefined otherwise (a logon failure).
   */
  logOn(account: string, password: string): string | undefined;
  /** The emulator clock (moved by Set-EmulatorTime); use it, never Date.now(). */
  now(): Date;
  readonly fileSystem: VirtualFileSystem;
  readonly ca: CaClient;

  // Cert:\LocalMachine\My
  listCertificates(): readonly StoredCertificate[];
  getCertificate(thumbprint: string): StoredCertificate | undefined;
  /** Adds (or replaces, by thumbprint) a certificate in the store. */
  putCertificate(certificate: StoredCertificate): void;
  removeCertificate(thumbprint: string): boolean;

  // Cert:\LocalMachine\REQUEST
  listPendingRequests(): readonly PendingRequest[];
  putPendingRequest(request: PendingRequest): void;
  removePendingRequest(thumbprint: string): boolean;

  /** Assignments of this server, plus the global ones (shared by every server of the topology). */
  listAssignments(scope: "local" | "global"): readonly Assignment[];
  /** Replaces the assignment of one type; the caller moves the old thumbprint into previousThumbprint. */
  putAssignment(scope: "local" | "global", assignment: Assignment): void;
  removeAssignment(scope: "local" | "global", type: CertType): boolean;
  /**
   * Hands a global assignment's certificate, with its private key, to the Central Management store: the
   * replication service copies it into the store of every other Front End and Director once the topology's
   * replicationDelayMinutes have passed on that server's clock. This server keeps its own copy.
   */
  publishGlobalCertificate(certificate: StoredCertificate): void;

  /** Stop-CsWindowsService / Start-CsWindowsService: recorded, and visible in the audit log. */
  setServiceState(name: string, state: "Running" | "Stopped"): void;
  serviceStates(): Readonly<Record<string, "Running" | "Stopped">>;

  /** Emulator controls behind the *-Emulator* cmdlets. */
  readonly emulator: EmulatorControl;
}

export interface AuditEntry {
  /** Emulator-clock time, ISO 8601 UTC. */
  readonly time: string;
  /** Wall-clock time, ISO 8601 UTC: orders entries across servers. */
  readonly wallTime: string;
  readonly server: string;
  readonly user: string;
  readonly command: string;
  /** Bound parameters, passwords and keys replaced by "***". */
  readonly parameters: Readonly<Record<string, unknown>>;
}

export type Fault =
  /** Sleep before every command, or before one named command (e.g. Import-Module). */
  | { readonly kind: "latency"; readonly milliseconds: number; readonly command?: string }
  /** Close the SSH channel without an exit status, before or after the named command runs. */
  | { readonly kind: "drop"; readonly command: string; readonly when: "before" | "after"; readonly times?: number }
  /** Never answer once the named command is reached. */
  | { readonly kind: "hang"; readonly command: string }
  /** Set-CsCertificate returns success but changes nothing (for rollback tests). */
  | { readonly kind: "ignoreSetCsCertificate"; readonly times?: number };

/** One process creation (event 4688), in server time. */
export interface ProcessLogEntry {
  readonly time: string;
  readonly commandLine: string;
}

/** One compiled script block (event 4104), in server time. */
export interface ScriptBlockLogEntry {
  readonly time: string;
  readonly text: string;
}

export interface EmulatorControl {
  setTime(date: Date): void;
  addDays(days: number): void;
  auditLog(): readonly AuditEntry[];
  /** Every process command line, as Security event 4688 records it (Get-EmulatorProcessLog). */
  processLog(): readonly ProcessLogEntry[];
  /** Every script block's text, as PowerShell event 4104 records it (Get-EmulatorScriptBlockLog). */
  scriptBlockLog(): readonly ScriptBlockLogEntry[];
  setFaults(faults: readonly Fault[]): void;
  faults(): readonly Fault[];
  /** CA behaviour for requests from this server (Set-EmulatorCaBehavior). */
  setCaBehavior(behavior: CaBehavior): void;
  /** True once, consuming one "ignoreSetCsCertificate" fault if present. */
  consumeIgnoreSetCsCertificate(): boolean;
}
