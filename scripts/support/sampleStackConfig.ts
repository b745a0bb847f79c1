// Stack config for the examples, pointing at the emulated servers of the sample topology: what a
// user would type with `pulumi config set`, computed from the emulator's ready line.

import * as fs from "node:fs";
import type { ConfigValue } from "./exampleStack";
import type { EmulatedServerEndpoint } from "./emulatorProcess";
import { SAMPLE_TOPOLOGY } from "./emulatorProcess";

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

/** One server of the pool as the examples' `pool.servers` / `server` config takes it. */
export function serverConfig(endpoint: EmulatedServerEndpoint): {
  fqdn: string;
  host: string;
  port: number;
  hostKey: string;
} {
  return { fqdn: endpoint.fqdn, host: endpoint.host, port: endpoint.port, hostKey: endpoint.hostKey };
}

/**
 * Config for the pool examples (mobility, separate-certificates, pool-rollout): the sample's Front End
 * pool with its servers at the emulator's ports, host keys pinned, the password as a secret.
 */
export function poolStackConfig(
  endpoints: readonly EmulatedServerEndpoint[],
  credentials: { user: string; password: string },
): Record<string, ConfigValue> {
  const sample = readSampleTopology();
  const pool = sample.frontEndPool;
  const servers = pool.servers.map((fqdn) => {
    const endpoint = endpoints.find((e) => e.fqdn.toLowerCase() === fqdn.toLowerCase());
    if (!endpoint) throw new Error(`configuring the pool: the emulator does not run ${fqdn}`);
    return serverConfig(endpoint);
  });
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
  };
}
