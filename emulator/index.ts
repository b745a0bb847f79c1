// The emulator's public API: start every server of a topology as its own SSH endpoint and WinRM
// listeners on 127.0.0.1, with state that persists in a directory between runs.

import { EmulatorState } from "./emulatorState";
import type { CaBehavior, DefaultShell, LyncHost, Topology } from "./lyncHost";
import { SshFrontDoor, type EmulatorUser, type ScriptRunner } from "./sshFrontDoor";
import { defaultShellOf, loadTopology, SAMPLE_TOPOLOGY_PATH } from "./topology";
import { listenerCertificate } from "./winrm/listenerCertificate";
import { WinRmListener } from "./winrm/winRmListener";

export type { EmulatorUser } from "./sshFrontDoor";
export type {
  AuditEntry,
  CaBehavior,
  CertType,
  DefaultShell,
  Fault,
  LyncHost,
  ProcessLogEntry,
  ScriptBlockLogEntry,
  Topology,
} from "./lyncHost";
export { SAMPLE_TOPOLOGY_PATH } from "./topology";
export { encodePowerShellCommand } from "./execCommandLine";

export interface StartEmulatorOptions {
  /** Path to a topology JSON file or the topology itself. @default the bundled sample emulator/topologies/contoso.json */
  readonly topology?: string | Topology;
  /** Where state (host keys, CA, stores, assignments, clock, audit log) persists; reused on restart. */
  readonly stateDir: string;
  readonly users: readonly EmulatorUser[];
  /**
   * What Windows OpenSSH runs exec requests through on every server, overriding the topology's
   * defaultShell (topology level and per pool). @default the topology's, else "cmd"
   */
  readonly defaultShell?: DefaultShell;
  /** Runs scripts instead of the PowerShell interpreter (tests of the front door). @default the interpreter */
  readonly runScript?: ScriptRunner;
  /** WinRM service settings of every server. @default Windows' defaults, plus Basic allowed over HTTPS */
  readonly winrm?: WinRmSettings;
}

/** The WinRM service configuration (winrm get winrm/config) the emulator models. */
export interface WinRmSettings {
  /** Service/Auth/Basic: local accounts over HTTPS. Windows' default is false. @default true */
  readonly basic?: boolean;
  /** MaxEnvelopeSizekb. @default 500 */
  readonly maxEnvelopeSizeKb?: number;
  /** MaxTimeoutms: the longest OperationTimeout a Receive waits. @default 60000 */
  readonly maxTimeoutMs?: number;
}

export interface EmulatedServer {
  readonly fqdn: string;
  readonly host: "127.0.0.1";
  readonly port: number;
  /** OpenSSH public key line, e.g. "ssh-ed25519 AAAA..." */
  readonly hostKey: string;
  /** The WinRM HTTPS listener's port (Windows' 5986), on the same host; its path is /wsman. */
  readonly winrmPort: number;
  /** SHA-256 fingerprint of the WinRM listener's TLS certificate, upper-case hex pairs joined by colons. */
  readonly winrmCertificateSha256: string;
  /** The WinRM HTTP listener's port (Windows' 5985): AllowUnencrypted is false, so it refuses plain SOAP. */
  readonly winrmHttpPort: number;
}

/** What a test can see of a topology CA. */
export interface EmulatedCertificationAuthority {
  /** As -Ca takes it, e.g. "dc\myca". */
  readonly name: string;
  /** PEM of the CA root: what issued certificates chain to (openssl verify -CAfile). */
  readonly rootCertificatePem: string;
  /** Submits so far, whatever their outcome (including denied and unreachable ones). */
  readonly requestCount: number;
  /** Request-CsCertificate -Retrieve calls so far. */
  readonly retrieveCount: number;
}

export interface RunningEmulator {
  readonly servers: readonly EmulatedServer[];
  /** In-process access for tests: the server's state, the same object the cmdlets see. */
  host(fqdn: string): LyncHost;
  /** A topology CA by name (default: the first one). */
  certificationAuthority(name?: string): EmulatedCertificationAuthority;
  /** Sets the CA behaviour for every server (host(fqdn).emulator.setCaBehavior sets it for one). */
  setCaBehavior(behavior: CaBehavior): void;
  /** Writes the state to disk now (it is also written after every script and on stop). */
  save(): void;
  stop(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions): Promise<RunningEmulator> {
  const topology = loadTopology(options.topology ?? SAMPLE_TOPOLOGY_PATH);
  if (options.users.length === 0) {
    throw new Error("starting the emulator: no users; give at least one user with a password or authorized keys");
  }
  const state = EmulatorState.open(options.stateDir, topology);
  state.setAccounts(options.users);
  const doors: SshFrontDoor[] = [];
  const listeners: WinRmListener[] = [];
  const stopAll = () => Promise.all([...doors, ...listeners].map((d) => d.stop()));
  const authority = state.authority(topology.certificationAuthorities[0]?.name ?? "");
  try {
    // Every server's key at once: a fresh state directory would otherwise wait for them one by one.
    const certificates = await Promise.all(
      state.serverFqdns().map((fqdn) => listenerCertificate(state.stateDir, fqdn, authority)),
    );
    for (const [i, fqdn] of state.serverFqdns().entries()) {
      const shared = { server: state.server(fqdn), save: () => state.saveServer(fqdn), runScript: options.runScript };
      doors.push(
        await SshFrontDoor.start({
          ...shared,
          hostKey: state.hostKey(fqdn),
          users: options.users,
          defaultShell: options.defaultShell ?? defaultShellOf(topology, fqdn),
        }),
      );
      listeners.push(
        await WinRmListener.start({
          ...shared,
          ...options.winrm,
          users: options.users,
          certificate: certificates[i],
        }),
      );
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const fqdns = state.serverFqdns();
  let stopped = false;
  return {
    servers: fqdns.map((fqdn, i) => ({
      fqdn,
      host: "127.0.0.1",
      port: doors[i].port,
      hostKey: doors[i].hostKey,
      winrmPort: listeners[i].port,
      winrmCertificateSha256: listeners[i].certificateFingerprint256,
      winrmHttpPort: listeners[i].httpPort,
    })),
    host: (fqdn) => state.server(fqdn),
    certificationAuthority: (name) => {
      const authority = name
        ? state.authority(name)
        : state.authority(topology.certificationAuthorities[0]?.name ?? "");
      if (!authority) {
        throw new Error(
          `finding CA ${name ?? "(default)"}: not in the topology; CAs are ${topology.certificationAuthorities.map((c) => c.name).join(", ") || "none"}`,
        );
      }
      return {
        name: authority.definition.name,
        rootCertificatePem: authority.rootCertificatePem,
        requestCount: authority.state.requestCount,
        retrieveCount: authority.state.retrieveCount,
      };
    },
    setCaBehavior: (behavior) => {
      for (const fqdn of fqdns) state.server(fqdn).emulator.setCaBehavior(behavior);
    },
    save: () => state.saveAll(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await stopAll();
      state.saveAll();
    },
  };
}
