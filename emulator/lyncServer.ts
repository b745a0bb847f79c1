// One emulated Lync server: what the Cs cmdlets see through LyncHost, over plain JSON state.
//
// The state (ServerData) is what a real server keeps on its disk and in the registry; the global
// assignments and the CAs are shared by every server of the topology (SharedState). Several
// LyncServer objects may share one ServerData: one per SSH session, each with its own user.

import { createHash, timingSafeEqual } from "node:crypto";
import { qualifiedAccountName, userNameOf } from "./accountNames";
import { createCaClient, type CertificationAuthority } from "./certificationAuthority";
import type {
  Assignment,
  AuditEntry,
  CaBehavior,
  ProcessLogEntry,
  ScriptBlockLogEntry,
  CaClient,
  CertType,
  EmulatorControl,
  Fault,
  LoginKind,
  LyncHost,
  PendingRequest,
  Pool,
  StoredCertificate,
  Topology,
} from "./lyncHost";
import { DEFAULT_REPLICATION_DELAY_MINUTES, GLOBAL_CERTIFICATE_ROLES, LYNC_SERVICES_BY_ROLE } from "./lyncHost";
import type { VirtualFileSystem } from "./powershell/session";
import { poolOfServer, serversOf } from "./topology";
import { VirtualDisk, type DiskContents } from "./virtualDisk";

/** Everything one server persists (servers/<fqdn>.json). Private keys stay here: it is the server's disk. */
export interface ServerData {
  version: 1;
  fqdn: string;
  /** The emulator clock as an offset from wall time, so it keeps ticking and survives restarts. */
  clockOffsetMs: number;
  store: StoredCertificate[];
  requests: PendingRequest[];
  assignments: Assignment[];
  services: Record<string, "Running" | "Stopped">;
  faults: Fault[];
  caBehavior: CaBehavior;
  auditLog: AuditEntry[];
  files: DiskContents;
  /** Event 4688: every process created, with its command line (newest LOG_LIMIT kept). Absent in older state files. */
  processLog?: ProcessLogEntry[];
  /** Event 4104: the text of every script block compiled (newest LOG_LIMIT kept). */
  scriptBlockLog?: ScriptBlockLogEntry[];
}

/** How many entries each Windows event record keeps, as an event log of bounded size would. */
const LOG_LIMIT = 5000;

/** State every server of the topology shares (shared.json, except the accounts). */
export interface SharedState {
  readonly globalAssignments: Assignment[];
  /** By lower-case CA name ("dc\myca"). */
  readonly authorities: Map<string, CertificationAuthority>;
  /** The domain's accounts: the emulator's users, given at each start and never written to disk. */
  readonly accounts: DomainAccount[];
  /** Certificates of global assignments, as the Central Management store keeps them (with their keys). */
  readonly centralStore: CentralStoreCertificate[];
  /** Each server's clock by lower-case FQDN, so a publication can be dated on every receiver's own clock. In memory only. */
  readonly clocks: Map<string, () => Date>;
}

/** A global certificate waiting in the Central Management store to be deployed to the other servers. */
export interface CentralStoreCertificate {
  readonly certificate: StoredCertificate;
  readonly publishedBy: string;
  /** Per receiving server (lower-case FQDN): when it lands in that server's store, ISO 8601 on that server's clock. */
  readonly dueAt: Record<string, string>;
}

/** An account as the domain knows it; only a hash of the password is kept. */
export interface DomainAccount {
  readonly name: string;
  readonly passwordHash?: Buffer;
}

export function domainAccount(user: { readonly name: string; readonly password?: string }): DomainAccount {
  return {
    name: user.name,
    ...(user.password === undefined ? {} : { passwordHash: sha256(user.password) }),
  };
}

/** Fresh state for a server that has never run. */
export function newServerData(fqdn: string, pool: Pool, clockOffsetMs = 0): ServerData {
  return {
    version: 1,
    fqdn,
    clockOffsetMs,
    store: [],
    requests: [],
    assignments: [],
    services: Object.fromEntries(LYNC_SERVICES_BY_ROLE[pool.role].map((s) => [s, "Running" as const])),
    faults: [],
    caBehavior: { kind: "issue" },
    auditLog: [],
    files: {},
  };
}

export class LyncServer implements LyncHost {
  readonly pool: Pool;
  readonly ca: CaClient;
  readonly emulator: EmulatorControl;
  readonly disk: VirtualDisk;
  readonly fileSystem: VirtualFileSystem;

  constructor(
    readonly topology: Topology,
    private readonly data: ServerData,
    private readonly shared: SharedState,
    /** The account running scripts, "DOMAIN\user". */
    readonly user: string,
    /** In-process callers (tests, the seed) act like an interactive logon, which has network credentials. */
    readonly loginKind: LoginKind = "password",
  ) {
    const pool = poolOfServer(topology, data.fqdn);
    if (!pool) throw new Error(`starting ${data.fqdn}: the server is in no pool of the topology`);
    this.pool = pool;
    this.disk = new VirtualDisk(data.files);
    // OpenSSH on Windows starts sessions in the user's profile folder.
    this.fileSystem = this.disk.view(`C:\\Users\\${userNameOf(user)}`);
    this.ca = createCaClient({
      topology,
      server: data.fqdn,
      authorities: shared.authorities,
      behavior: () => this.data.caBehavior,
      now: () => this.now(),
    });
    this.emulator = {
      setTime: (date) => {
        this.data.clockOffsetMs = date.getTime() - Date.now();
      },
      addDays: (days) => {
        this.data.clockOffsetMs += days * 86_400_000;
      },
      auditLog: () => this.data.auditLog,
      processLog: () => this.data.processLog ?? [],
      scriptBlockLog: () => this.data.scriptBlockLog ?? [],
      setFaults: (faults) => {
        this.data.faults = [...faults];
      },
      faults: () => this.data.faults,
      setCaBehavior: (behavior) => {
        this.data.caBehavior = behavior;
      },
      consumeIgnoreSetCsCertificate: () => this.consumeFault((f) => f.kind === "ignoreSetCsCertificate"),
    };
    shared.clocks.set(data.fqdn.toLowerCase(), () => this.now());
  }

  get fqdn(): string {
    return this.data.fqdn;
  }

  /** The same server seen by another account (one per SSH session), logged on as `loginKind` says. */
  withUser(user: string, loginKind: LoginKind): LyncServer {
    return new LyncServer(this.topology, this.data, this.shared, qualifiedAccountName(user, this.topology), loginKind);
  }

  logOn(account: string, password: string): string | undefined {
    // Both sides in DOMAIN\user form: "lyncadmin" is CONTOSO\lyncadmin, not OTHER\lyncadmin.
    const wanted = qualifiedAccountName(account, this.topology);
    const known = this.shared.accounts.find(
      (a) => qualifiedAccountName(a.name, this.topology).toLowerCase() === wanted.toLowerCase(),
    );
    // Hashes first, so the comparison takes the same time whatever the lengths.
    const matches = known?.passwordHash !== undefined && timingSafeEqual(known.passwordHash, sha256(password));
    return matches ? wanted : undefined;
  }

  now(): Date {
    return new Date(Date.now() + this.data.clockOffsetMs);
  }

  listCertificates(): readonly StoredCertificate[] {
    this.receiveReplicas();
    return this.data.store;
  }

  getCertificate(thumbprint: string): StoredCertificate | undefined {
    this.receiveReplicas();
    const wanted = thumbprint.toUpperCase();
    return this.data.store.find((c) => c.thumbprint === wanted);
  }

  putCertificate(certificate: StoredCertificate): void {
    const entry = { ...certificate, thumbprint: certificate.thumbprint.toUpperCase() };
    const at = this.data.store.findIndex((c) => c.thumbprint === entry.thumbprint);
    if (at >= 0) this.data.store[at] = entry;
    else this.data.store.push(entry);
  }

  removeCertificate(thumbprint: string): boolean {
    const at = this.data.store.findIndex((c) => c.thumbprint === thumbprint.toUpperCase());
    if (at < 0) return false;
    this.data.store.splice(at, 1);
    return true;
  }

  listPendingRequests(): readonly PendingRequest[] {
    return this.data.requests;
  }

  putPendingRequest(request: PendingRequest): void {
    const at = this.data.requests.findIndex((r) => r.thumbprint.toUpperCase() === request.thumbprint.toUpperCase());
    if (at >= 0) this.data.requests[at] = request;
    else this.data.requests.push(request);
  }

  removePendingRequest(thumbprint: string): boolean {
    const at = this.data.requests.findIndex((r) => r.thumbprint.toUpperCase() === thumbprint.toUpperCase());
    if (at < 0) return false;
    this.data.requests.splice(at, 1);
    return true;
  }

  listAssignments(scope: "local" | "global"): readonly Assignment[] {
    return this.assignmentsOf(scope);
  }

  putAssignment(scope: "local" | "global", assignment: Assignment): void {
    const list = this.assignmentsOf(scope);
    const at = list.findIndex((a) => a.type === assignment.type);
    if (at >= 0) list[at] = assignment;
    else list.push(assignment);
  }

  removeAssignment(scope: "local" | "global", type: CertType): boolean {
    const list = this.assignmentsOf(scope);
    const at = list.findIndex((a) => a.type === type);
    if (at < 0) return false;
    list.splice(at, 1);
    return true;
  }

  publishGlobalCertificate(certificate: StoredCertificate): void {
    const thumbprint = certificate.thumbprint.toUpperCase();
    // Published once: assigning the same certificate again does not restart its deployment.
    if (this.shared.centralStore.some((c) => c.certificate.thumbprint === thumbprint)) return;
    const delayMs = (this.topology.replicationDelayMinutes ?? DEFAULT_REPLICATION_DELAY_MINUTES) * 60_000;
    const dueAt: Record<string, string> = {};
    for (const { fqdn, pool } of serversOf(this.topology)) {
      const key = fqdn.toLowerCase();
      if (key === this.fqdn.toLowerCase() || !GLOBAL_CERTIFICATE_ROLES.includes(pool.role)) continue;
      // Each receiver counts the delay on its own clock from the moment of publication.
      const receiverNow = this.shared.clocks.get(key)?.() ?? new Date();
      dueAt[key] = new Date(receiverNow.getTime() + delayMs).toISOString();
    }
    this.shared.centralStore.push({ certificate: { ...certificate, thumbprint }, publishedBy: this.fqdn, dueAt });
  }

  setServiceState(name: string, state: "Running" | "Stopped"): void {
    const existing = Object.keys(this.data.services).find((s) => s.toLowerCase() === name.toLowerCase());
    this.data.services[existing ?? name] = state;
  }

  serviceStates(): Readonly<Record<string, "Running" | "Stopped">> {
    return this.data.services;
  }

  // ---- For the front door (not part of LyncHost) ----

  /** Records one executed command; parameters must already be redacted. */
  appendAudit(command: string, parameters: Readonly<Record<string, unknown>>): void {
    this.data.auditLog.push({
      time: this.now().toISOString(),
      wallTime: new Date().toISOString(),
      server: this.data.fqdn,
      user: this.user,
      command,
      parameters,
    });
  }

  /** Event 4688: a process was created with this command line. */
  appendProcessLog(commandLine: string): void {
    this.data.processLog = bounded([...(this.data.processLog ?? []), { time: this.now().toISOString(), commandLine }]);
  }

  /** Event 4104: a script block was compiled with this text. */
  appendScriptBlockLog(text: string): void {
    this.data.scriptBlockLog = bounded([...(this.data.scriptBlockLog ?? []), { time: this.now().toISOString(), text }]);
  }

  /** Total latency the faults add before `command`. */
  latencyBefore(command: string): number {
    return this.data.faults
      .filter((f): f is Extract<Fault, { kind: "latency" }> => f.kind === "latency")
      .filter((f) => f.command === undefined || sameCommand(f.command, command))
      .reduce((sum, f) => sum + f.milliseconds, 0);
  }

  /** True (consuming one use) when a drop fault matches this command at this moment. */
  consumeDrop(command: string, when: "before" | "after"): boolean {
    return this.consumeFault((f) => f.kind === "drop" && f.when === when && sameCommand(f.command, command));
  }

  hangsAt(command: string): boolean {
    return this.data.faults.some((f) => f.kind === "hang" && sameCommand(f.command, command));
  }

  // The replication service's scheduled tasks, run lazily: whatever is due on this server's clock is in its store.
  private receiveReplicas(): void {
    const key = this.fqdn.toLowerCase();
    for (const entry of this.shared.centralStore) {
      const due = entry.dueAt[key];
      if (due === undefined || this.now().getTime() < Date.parse(due)) continue;
      if (this.data.store.some((c) => c.thumbprint === entry.certificate.thumbprint)) continue;
      this.data.store.push({ ...entry.certificate });
    }
  }

  private assignmentsOf(scope: "local" | "global"): Assignment[] {
    return scope === "global" ? this.shared.globalAssignments : this.data.assignments;
  }

  // drop and ignoreSetCsCertificate fire once unless -Times says otherwise.
  private consumeFault(matches: (fault: Fault) => boolean): boolean {
    const at = this.data.faults.findIndex(matches);
    if (at < 0) return false;
    const fault = this.data.faults[at] as Extract<Fault, { kind: "drop" | "ignoreSetCsCertificate" }>;
    const remaining = (fault.times ?? 1) - 1;
    if (remaining <= 0) this.data.faults.splice(at, 1);
    else this.data.faults[at] = { ...fault, times: remaining };
    return true;
  }
}

function bounded<T>(entries: T[]): T[] {
  return entries.length > LOG_LIMIT ? entries.slice(entries.length - LOG_LIMIT) : entries;
}

function sameCommand(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
