// Stack config for the examples, pointing at the emulated servers of the sample topology: what a
// user would type with `pulumi config set`, computed from the emulator's ready line.

import * as fs from "node:fs";
import type { ConfigValue } from "./exampleStack";
import type { EmulatedServerEndpoint } from "./emulatorProcess";
import { SAMPLE_TOPOLOGY } from "./emulatorProcess";
import type { Transport } from "./transports";

interface SampleTopology {
  sipDomains: string[];
  pools: { fqdn: string; role: string; servers: string[]; internalWebFqdn?: string; externalWebFqdn?: string }[];
  simpleUrls: { meet: string[]; dialin: string; admin?: string };
  certificationAuthorities: { name: string }[];
}

export interface SamplePool {
  readonly fqdn: string;
  readonly internalWebFqdn: string;
  readonly externalWebFqdn: string;
  readonly servers: readonly string[];
}

export function readSampleTopology(file = SAMPLE_TOPOLOGY): {
  sipDomains: string[];
  frontEndPool: SamplePool;
  simpleUrls: string[];
  ca: string;
} {
  const topology = JSON.parse(fs.readFileSync(file, "utf8")) as SampleTopology;
  const pool = topology.pools.find((p) => p.role === "FrontEnd");
  if (!pool) throw new Error(`reading ${file}: the topology has no Front End pool`);
  return {
    sipDomains: topology.sipDomains,
    frontEndPool: {
      fqdn: pool.fqdn,
      internalWebFqdn: pool.internalWebFqdn ?? pool.fqdn,
      externalWebFqdn: pool.externalWebFqdn ?? pool.fqdn,
      servers: pool.servers,
    },
    simpleUrls: [
      ...topology.simpleUrls.meet,
      topology.simpleUrls.dialin,
      ...(topology.simpleUrls.admin ? [topology.simpleUrls.admin] : []),
    ],
    ca: topology.certificationAuthorities[0]?.name ?? "dc\\myca",
  };
}

/**
 * One server of the pool as the examples' `pool.servers` / `server` config takes it: over SSH pinned
 * by its host key, over WinRM at its HTTPS listener, pinned by the certificate's fingerprint.
 */
export function serverConfig(
  endpoint: EmulatedServerEndpoint,
  transport: Transport = "ssh",
): { fqdn: string; host: string; port: number; hostKey?: string; certificateFingerprint?: string } {
  const { fqdn, host } = endpoint;
  return transport === "ssh"
    ? { fqdn, host, port: endpoint.port, hostKey: endpoint.hostKey }
    : { fqdn, host, port: endpoint.winrmPort, certificateFingerprint: endpoint.winrmCertificateSha256 };
}

/**
 * Config for the pool examples (mobility, separate-certificates, pool-rollout): the sample's Front End
 * pool with its servers at the emulator's ports, pinned, the password as a secret. Over WinRM the CA
 * requests bring the admin's account (a WinRM logon has no network credentials: the double hop).
 */
export function poolStackConfig(
  endpoints: readonly EmulatedServerEndpoint[],
  credentials: { user: string; password: string },
  transport: Transport = "ssh",
): Record<string, ConfigValue> {
  const sample = readSampleTopology();
  const pool = sample.frontEndPool;
  const servers = pool.servers.map((fqdn) => {
    const endpoint = endpoints.find((e) => e.fqdn.toLowerCase() === fqdn.toLowerCase());
    if (!endpoint) throw new Error(`configuring the pool: the emulator does not run ${fqdn}`);
    return serverConfig(endpoint, transport);
  });
  const winrm: Record<string, ConfigValue> =
    transport === "winrm"
      ? { transport, caAccount: `CONTOSO\\${credentials.user}`, caPassword: { secret: credentials.password } }
      : {};
  return {
    user: credentials.user,
    password: { secret: credentials.password },
    ca: sample.ca,
    sipDomains: JSON.stringify(sample.sipDomains),
    simpleUrls: JSON.stringify(sample.simpleUrls),
    pool: JSON.stringify({
      fqdn: pool.fqdn,
      internalWebFqdn: pool.internalWebFqdn,
      externalWebFqdn: pool.externalWebFqdn,
      servers,
    }),
    ...winrm,
  };
}
