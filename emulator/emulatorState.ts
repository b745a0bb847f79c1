// The emulator's state directory: one JSON file per server, one shared file (global assignments,
// the CAs), and one SSH host key per server. Written with write-then-rename so a crash mid-write
// leaves the previous state, never half a file.
//
//   <stateDir>/shared.json
//   <stateDir>/servers/<fqdn>.json
//   <stateDir>/hostkeys/<fqdn>        (OpenSSH private key, ed25519)

import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { utils as sshUtils } from "ssh2";
import { qualifiedAccountName } from "./accountNames";
import { computeCertificateNames } from "./certificateNames";
import { CertificationAuthority, type CaState } from "./certificationAuthority";
import type { Assignment, CertType, Topology } from "./lyncHost";
import {
  domainAccount,
  LyncServer,
  newServerData,
  type CentralStoreCertificate,
  type ServerData,
  type SharedState,
} from "./lyncServer";
import { serversOf } from "./topology";
import { createCsr, generateRsaKeyPair, thumbprintOf } from "./x509";

interface SharedFile {
  version: 1;
  globalAssignments: Assignment[];
  authorities: CaState[];
  /** Absent in state written before global certificates were replicated. */
  centralStore?: CentralStoreCertificate[];
}

export interface HostKey {
  /** OpenSSH private key (PEM-like "BEGIN OPENSSH PRIVATE KEY"). */
  readonly privateKey: string;
  /** OpenSSH public key line, "ssh-ed25519 AAAA... <fqdn>". */
  readonly publicKey: string;
}

const SEEDED_TYPES: readonly CertType[] = ["Default", "WebServicesInternal", "WebServicesExternal"];

export class EmulatorState {
  private readonly shared: SharedState;
  private readonly servers = new Map<string, { data: ServerData; server: LyncServer }>();

  private constructor(
    readonly stateDir: string,
    readonly topology: Topology,
  ) {
    mkdirSync(path.join(stateDir, "servers"), { recursive: true });
    mkdirSync(path.join(stateDir, "hostkeys"), { recursive: true });
    const sharedFile = readJson<SharedFile>(this.sharedPath());
    const authorities = new Map<string, CertificationAuthority>();
    for (const definition of topology.certificationAuthorities) {
      const saved = sharedFile?.authorities.find((a) => a.name.toLowerCase() === definition.name.toLowerCase());
      authorities.set(
        definition.name.toLowerCase(),
        saved
          ? new CertificationAuthority(definition, saved)
          : CertificationAuthority.create(definition, topology, new Date()),
      );
    }
    this.shared = {
      globalAssignments: sharedFile?.globalAssignments ?? [],
      authorities,
      accounts: [],
      centralStore: sharedFile?.centralStore ?? [],
      clocks: new Map(),
    };

    for (const { fqdn, pool } of serversOf(topology)) {
      let data = readJson<ServerData>(this.serverPath(fqdn));
      if (!data) {
        data = newServerData(fqdn, pool);
        if (pool.role !== "Edge") this.seed(data);
      }
      const server = new LyncServer(topology, data, this.shared, qualifiedAccountName("lyncadmin", topology));
      this.servers.set(fqdn.toLowerCase(), { data, server });
    }
    this.saveAll();
  }

  /** Opens (or creates and seeds) the state in stateDir for this topology. */
  static open(stateDir: string, topology: Topology): EmulatorState {
    return new EmulatorState(path.resolve(stateDir), topology);
  }

  serverFqdns(): string[] {
    return [...this.servers.values()].map((s) => s.data.fqdn);
  }

  /** The server's state, as the default account CONTOSO\lyncadmin sees it. */
  server(fqdn: string): LyncServer {
    const entry = this.servers.get(fqdn.toLowerCase());
    if (!entry) {
      throw new Error(`finding server ${fqdn}: not in the topology; servers are ${this.serverFqdns().join(", ")}`);
    }
    return entry.server;
  }

  /**
   * The domain's accounts, for logons with explicit credentials (Request-CsCertificate -CaAccount/-CaPassword):
   * the emulator's SSH users. Kept in memory only, like the logins themselves.
   */
  setAccounts(users: readonly { readonly name: string; readonly password?: string }[]): void {
    this.shared.accounts.splice(0, this.shared.accounts.length, ...users.map(domainAccount));
  }

  authority(name: string): CertificationAuthority | undefined {
    return this.shared.authorities.get(name.toLowerCase());
  }

  /** The server's persistent ed25519 host key, created on first use. */
  hostKey(fqdn: string): HostKey {
    const file = path.join(this.stateDir, "hostkeys", fqdn.toLowerCase());
    if (!existsSync(file)) {
      atomicWrite(file, generateParsableEd25519Key(fqdn.toLowerCase()).private, 0o600);
    }
    const privateKey = readFileSync(file, "utf8");
    const parsed = sshUtils.parseKey(privateKey);
    if (parsed instanceof Error)
      throw new Error(`reading host key ${file}: ${parsed.message}; delete it to make a new one`);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    const publicKey = `${key.type} ${key.getPublicSSH().toString("base64")}`;
    return { privateKey, publicKey };
  }

  /** Writes one server's file and the shared file (after each script). */
  saveServer(fqdn: string): void {
    const entry = this.servers.get(fqdn.toLowerCase());
    if (entry) atomicWrite(this.serverPath(entry.data.fqdn), JSON.stringify(entry.data, null, 1));
    this.saveShared();
  }

  saveAll(): void {
    for (const { data } of this.servers.values())
      atomicWrite(this.serverPath(data.fqdn), JSON.stringify(data, null, 1));
    this.saveShared();
  }

  private saveShared(): void {
    const file: SharedFile = {
      version: 1,
      globalAssignments: this.shared.globalAssignments,
      authorities: [...this.shared.authorities.values()].map((a) => a.state),
      centralStore: this.shared.centralStore,
    };
    // Most scripts only read; rewriting an unchanged file after each of a fleet's sessions was the
    // emulator's largest cost per session after the SSH handshake.
    const text = JSON.stringify(file, null, 1);
    if (text === this.savedShared) return;
    atomicWrite(this.sharedPath(), text);
    this.savedShared = text;
  }

  private savedShared: string | undefined;

  // Before mobility is deployed: one combined certificate for Default and both web services,
  // with the names Request-CsCertificate computes without -AllSipDomain (no lyncdiscover names).
  private seed(data: ServerData): void {
    const authority = [...this.shared.authorities.values()][0];
    if (!authority) return;
    const names = computeCertificateNames(this.topology, data.fqdn, SEEDED_TYPES, {
      allSipDomain: false,
      domainNames: [],
    });
    const keys = generateRsaKeyPair(2048);
    const csrPem = createCsr({
      privateKeyPem: keys.privateKeyPem,
      subject: names.subject,
      dnsNames: names.alternativeNames,
    });
    const certificatePem = authority.issue(csrPem, { now: new Date(Date.now() + data.clockOffsetMs) });
    const thumbprint = thumbprintOf(certificatePem);
    data.store.push({
      thumbprint,
      certificatePem,
      privateKeyPem: keys.privateKeyPem,
      friendlyName: "Default certificate",
      privateKeyExportable: false,
    });
    data.assignments.push(...SEEDED_TYPES.map((type) => ({ type, thumbprint })));
  }

  private sharedPath(): string {
    return path.join(this.stateDir, "shared.json");
  }

  private serverPath(fqdn: string): string {
    return path.join(this.stateDir, "servers", `${fqdn.toLowerCase()}.json`);
  }
}

function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (cause) {
    throw new Error(`reading emulator state ${file}: ${(cause as Error).message}; fix or delete the file`, { cause });
  }
}

/** Writes a file through a temporary one and a rename, so a crash leaves the old file or the new, never half. */
export function atomicWrite(file: string, text: string, mode = 0o600): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(temp, text, { mode });
  chmodSync(temp, mode);
  renameSync(temp, file);
}

/**
 * ssh2 writes about one ed25519 key in three hundred in a form its own parser then rejects
 * ("Malformed OpenSSH private key"); draw again until it reads back, so a host key never breaks a start.
 */
export function generateParsableEd25519Key(comment?: string): { private: string; public: string } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = sshUtils.generateKeyPairSync("ed25519", comment === undefined ? {} : { comment });
    if (!(sshUtils.parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new Error("generating an ed25519 key: ssh2 could not read back any of 20 keys it generated");
}
