// A fleet of emulated Front Ends for the benchmark: a generated topology with one pool of N servers,
// the emulator as its own process (as the end-to-end tests run it), an OpenSSH key and known_hosts
// for the cross-checks, and an administrator that injects faults and reads the audit logs over SSH.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulatorProcess, type EmulatedServerEndpoint, type EmulatorProcess } from "../support/emulatorProcess";
import { LyncAdmin, type AuditEntry } from "../support/lyncAdmin";

const FLEET_USER = "lyncadmin";
const FLEET_POOL = "pool01.contoso.com";
const FLEET_CA = "dc\\myca";
const FLEET_SIP_DOMAINS = ["contoso.com", "contoso.net"];
const FLEET_SIMPLE_URLS = ["meet.contoso.com", "dialin.contoso.com"];
const EXTERNAL_WEB = "webext.contoso.com";

/** The Front End FQDNs of a fleet of n: fe001.contoso.com … */
function fleetServerNames(n: number): string[] {
  const width = Math.max(3, String(n).length);
  return Array.from({ length: n }, (_, i) => `fe${String(i + 1).padStart(width, "0")}.contoso.com`);
}

/** emulator/topology.ts's format: one site, one Front End pool holding every server, the sample CA. */
function fleetTopology(n: number): unknown {
  return {
    description: `benchmark fleet: one Front End pool of ${n} servers`,
    sipDomains: FLEET_SIP_DOMAINS,
    sites: [{ name: "Redmond" }],
    pools: [
      {
        fqdn: FLEET_POOL,
        site: "Redmond",
        role: "FrontEnd",
        servers: fleetServerNames(n),
        internalWebFqdn: FLEET_POOL,
        externalWebFqdn: EXTERNAL_WEB,
      },
    ],
    simpleUrls: { meet: ["meet.contoso.com"], dialin: "dialin.contoso.com" },
    certificationAuthorities: [
      { name: FLEET_CA, commonName: "contoso-DC-CA", enrollers: ["CONTOSO\\lyncadmin"], templates: ["WebServer"] },
    ],
  };
}

export interface Fleet {
  readonly emulator: EmulatorProcess;
  readonly servers: readonly EmulatedServerEndpoint[];
  readonly password: string;
  /** OpenSSH identity and known_hosts for the cross-checks. */
  readonly identityFile: string;
  readonly knownHostsFile: string;
  readonly admin: LyncAdmin;
  /** The examples/mobility stack config for this fleet (what `pulumi config set` takes). */
  stackConfig(): Record<string, string | { secret: string }>;
  /** Runs `script` on every server, `concurrency` at a time, and throws naming the servers that failed. */
  onEveryServer(doing: string, script: string, concurrency?: number): Promise<void>;
  /** Every server's audit log (Get-EmulatorAuditLog over SSH). */
  auditLogs(concurrency?: number): Promise<AuditEntry[][]>;
  stop(): Promise<void>;
}

export async function startFleet(n: number, work: string, password: string): Promise<Fleet> {
  fs.mkdirSync(work, { recursive: true });
  const topologyFile = path.join(work, "topology.json");
  fs.writeFileSync(topologyFile, JSON.stringify(fleetTopology(n), null, 2));
  const identityFile = path.join(work, "id_ed25519");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f", identityFile], {
    stdio: "ignore",
  });
  // Key logins for OpenSSH (no password prompt), password logins for the provider: both for lyncadmin.
  const emulator = await startEmulatorProcess({
    users: [{ name: FLEET_USER, password }],
    topology: topologyFile,
    stateDir: path.join(work, "emulator"),
    authorizedKeysFile: `${identityFile}.pub`,
    // Every server's seeded certificate is an RSA key pair made at first start.
    startTimeoutMs: 20 * 60_000,
  });
  const knownHostsFile = emulator.writeKnownHosts(path.join(work, "known_hosts"));
  const admin = new LyncAdmin({ user: FLEET_USER, password });
  const servers = emulator.servers;
  const endpoint = (s: EmulatedServerEndpoint) => ({ ...s, fqdn: s.fqdn });

  return {
    emulator,
    servers,
    password,
    identityFile,
    knownHostsFile,
    admin,
    stackConfig() {
      return {
        user: FLEET_USER,
        password: { secret: password },
        ca: FLEET_CA,
        sipDomains: JSON.stringify(FLEET_SIP_DOMAINS),
        simpleUrls: JSON.stringify(FLEET_SIMPLE_URLS),
        pool: JSON.stringify({
          fqdn: FLEET_POOL,
          internalWebFqdn: FLEET_POOL,
          externalWebFqdn: EXTERNAL_WEB,
          servers: servers.map((s) => ({ fqdn: s.fqdn, host: s.host, port: s.port, hostKey: s.hostKey })),
        }),
      };
    },
    async onEveryServer(doing, script, concurrency = 16) {
      const failures: string[] = [];
      await eachLimited(servers, concurrency, async (s) => {
        try {
          await admin.run(endpoint(s), script);
        } catch (error) {
          failures.push(`${s.fqdn}: ${(error as Error).message}`);
        }
      });
      if (failures.length > 0) throw new Error(`${doing} failed on ${failures.length} server(s):\n${failures.join("\n")}`);
    },
    async auditLogs(concurrency = 16) {
      const logs: AuditEntry[][] = new Array(servers.length);
      await eachLimited(servers, concurrency, async (s, i) => {
        logs[i] = await admin.auditLog(endpoint(s));
      });
      return logs;
    },
    stop: () => emulator.stop(),
  };
}

/** Calls `work` for every item, at most `limit` at once. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Audit entries of `command` per server whose wall time falls in [from, to]. */
export function countCommands(
  logs: readonly (readonly AuditEntry[])[],
  command: string,
  window: { readonly from: number; readonly to: number },
): number[] {
  const wanted = command.toLowerCase();
  return logs.map(
    (log) =>
      log.filter((e) => {
        const t = Date.parse(e.wallTime);
        return e.command.toLowerCase() === wanted && t >= window.from && t <= window.to;
      }).length,
  );
}
