// Loads and validates a topology JSON file: what Lync would read from the Central Management Store.
// Every problem is reported at once, each with its JSON path and how to fix it.

import { readFileSync } from "node:fs";
import path from "node:path";
import type {
  CertificationAuthorityDefinition,
  DefaultShell,
  ManagementModule,
  Pool,
  ProductVersion,
  Topology,
} from "./lyncHost";

/** Absolute path of the bundled sample topology. */
export const SAMPLE_TOPOLOGY_PATH = path.resolve(__dirname, "..", "topologies", "contoso.json");

const ROLES = ["FrontEnd", "Director", "Edge"] as const;
const FQDN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;

export class TopologyError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`loading topology ${source}: ${problems.length} problem(s):\n  ${problems.join("\n  ")}`);
    this.name = "TopologyError";
  }
}

/** Reads a topology from a JSON file path or validates an object; throws TopologyError listing every problem. */
export function loadTopology(pathOrObject: string | Topology | unknown): Topology {
  let source = "(object)";
  let data: unknown = pathOrObject;
  if (typeof pathOrObject === "string") {
    source = path.resolve(pathOrObject);
    let text: string;
    try {
      text = readFileSync(source, "utf8");
    } catch (cause) {
      throw new TopologyError(source, [
        `cannot read the file (${(cause as NodeJS.ErrnoException).code ?? cause}); check --topology`,
      ]);
    }
    try {
      data = JSON.parse(text);
    } catch (cause) {
      throw new TopologyError(source, [`not valid JSON: ${(cause as Error).message}`]);
    }
  }
  const problems: string[] = [];
  const topology = validate(data, problems);
  if (problems.length > 0 || !topology) throw new TopologyError(source, problems);
  return topology;
}

/** The pool a server belongs to (FQDNs match case-insensitively). */
export function poolOfServer(topology: Topology, serverFqdn: string): Pool | undefined {
  const wanted = serverFqdn.toLowerCase();
  return topology.pools.find((p) => p.servers.some((s) => s.toLowerCase() === wanted));
}

/** Every server of the topology, in pool order. */
export function serversOf(topology: Topology): { fqdn: string; pool: Pool }[] {
  return topology.pools.flatMap((pool) => pool.servers.map((fqdn) => ({ fqdn, pool })));
}

/** The CA definition a Request-CsCertificate -Ca value names ("dc\myca"), case-insensitively. */
export function findCertificationAuthority(
  topology: Topology,
  name: string,
): CertificationAuthorityDefinition | undefined {
  return topology.certificationAuthorities.find((ca) => ca.name.toLowerCase() === name.toLowerCase());
}

function validate(data: unknown, problems: string[]): Topology | undefined {
  if (!isRecord(data)) {
    problems.push("$: expected a JSON object with sipDomains, sites, pools, simpleUrls and certificationAuthorities");
    return undefined;
  }
  checkKeys(
    data,
    "$",
    [
      "sipDomains",
      "sites",
      "pools",
      "simpleUrls",
      "certificationAuthorities",
      "description",
      "defaultShell",
      "replicationDelayMinutes",
    ],
    problems,
  );
  const sipDomains = stringArray(data.sipDomains, "$.sipDomains", problems, { nonEmpty: true, fqdn: true });
  const sites = validateSites(data.sites, problems);
  const pools = validatePools(data.pools, sites, problems);
  const simpleUrls = validateSimpleUrls(data.simpleUrls, problems);
  const certificationAuthorities = validateCertificationAuthorities(data.certificationAuthorities, problems);
  const defaultShell = defaultShellValue(data.defaultShell, "$.defaultShell", problems);
  const delay = data.replicationDelayMinutes;
  if (delay !== undefined && (typeof delay !== "number" || !Number.isFinite(delay) || delay < 0)) {
    problems.push(
      `$.replicationDelayMinutes: ${JSON.stringify(delay)} is not a number of minutes; use 0 or more, e.g. 5`,
    );
  }
  return {
    sipDomains,
    sites,
    pools,
    simpleUrls,
    certificationAuthorities,
    ...(defaultShell ? { defaultShell } : {}),
    ...(typeof delay === "number" && delay >= 0 ? { replicationDelayMinutes: delay } : {}),
  };
}

function validateSites(value: unknown, problems: string[]): { name: string }[] {
  const sites: { name: string }[] = [];
  if (!Array.isArray(value) || value.length === 0) {
    problems.push('$.sites: expected a non-empty array such as [{ "name": "Redmond" }]');
    return sites;
  }
  value.forEach((site, i) => {
    if (!isRecord(site) || typeof site.name !== "string" || site.name === "") {
      problems.push(`$.sites[${i}]: expected { "name": "<site name>" }`);
    } else sites.push({ name: site.name });
  });
  return sites;
}

function validatePools(value: unknown, sites: readonly { name: string }[], problems: string[]): Pool[] {
  const pools: Pool[] = [];
  if (!Array.isArray(value) || value.length === 0) {
    problems.push("$.pools: expected a non-empty array of pools");
    return pools;
  }
  const serverOwners = new Map<string, string>();
  const keys = ["fqdn", "site", "role", "servers", "internalWebFqdn", "externalWebFqdn", "defaultShell", "version"];
  forEachRecord(value, "$.pools", "fqdn, site, role and servers", keys, problems, (raw, at) => {
    const poolShell = defaultShellValue(raw.defaultShell, `${at}.defaultShell`, problems);
    const version = productVersionValue(raw.version, `${at}.version`, problems);
    const fqdn = fqdnValue(raw.fqdn, `${at}.fqdn`, problems);
    if (typeof raw.site !== "string" || !sites.some((s) => s.name === raw.site)) {
      problems.push(
        `${at}.site: ${JSON.stringify(raw.site)} is not one of the sites (${sites.map((s) => s.name).join(", ")}); use a name from $.sites`,
      );
    }
    if (typeof raw.role !== "string" || !(ROLES as readonly string[]).includes(raw.role)) {
      problems.push(`${at}.role: ${JSON.stringify(raw.role)} is not a role; use one of ${ROLES.join(", ")}`);
    }
    const servers = stringArray(raw.servers, `${at}.servers`, problems, { nonEmpty: true, fqdn: true });
    servers.forEach((server, j) => {
      const owner = serverOwners.get(server.toLowerCase());
      if (owner)
        problems.push(`${at}.servers[${j}]: ${server} is already a member of ${owner}; a server belongs to one pool`);
      else serverOwners.set(server.toLowerCase(), fqdn ?? at);
    });
    const internalWebFqdn = optionalFqdn(raw.internalWebFqdn, `${at}.internalWebFqdn`, problems);
    const externalWebFqdn = optionalFqdn(raw.externalWebFqdn, `${at}.externalWebFqdn`, problems);
    pools.push({
      fqdn: fqdn ?? "",
      site: String(raw.site),
      role: raw.role as Pool["role"],
      servers,
      ...(internalWebFqdn ? { internalWebFqdn } : {}),
      ...(externalWebFqdn ? { externalWebFqdn } : {}),
      ...(poolShell ? { defaultShell: poolShell } : {}),
      ...(version ? { version } : {}),
    });
  });
  const seen = new Set<string>();
  pools.forEach((p, i) => {
    if (p.fqdn && seen.has(p.fqdn.toLowerCase())) {
      problems.push(`$.pools[${i}].fqdn: ${p.fqdn} names two pools; pool FQDNs are unique`);
    }
    seen.add(p.fqdn.toLowerCase());
  });
  return pools;
}

function validateSimpleUrls(value: unknown, problems: string[]): Topology["simpleUrls"] {
  if (!isRecord(value)) {
    problems.push(
      '$.simpleUrls: expected { "meet": ["meet.contoso.com"], "dialin": "dialin.contoso.com", "admin": "..." }',
    );
    return { meet: [], dialin: "" };
  }
  checkKeys(value, "$.simpleUrls", ["meet", "dialin", "admin"], problems);
  const meet = stringArray(value.meet, "$.simpleUrls.meet", problems, { nonEmpty: true, fqdn: true });
  const dialin = fqdnValue(value.dialin, "$.simpleUrls.dialin", problems) ?? "";
  const admin = optionalFqdn(value.admin, "$.simpleUrls.admin", problems);
  return { meet, dialin, ...(admin ? { admin } : {}) };
}

function validateCertificationAuthorities(value: unknown, problems: string[]): CertificationAuthorityDefinition[] {
  const authorities: CertificationAuthorityDefinition[] = [];
  if (!Array.isArray(value)) {
    problems.push(
      '$.certificationAuthorities: expected an array such as [{ "name": "dc\\\\myca", "commonName": "contoso-DC-CA", "enrollers": ["CONTOSO\\\\lyncadmin"], "templates": ["WebServer"] }]',
    );
    return authorities;
  }
  const keys = ["name", "commonName", "enrollers", "templates"];
  forEachRecord(
    value,
    "$.certificationAuthorities",
    "name, commonName, enrollers and templates",
    keys,
    problems,
    (raw, at) => {
      if (typeof raw.name !== "string" || !/^[^\\\s]+\\[^\\]+$/.test(raw.name)) {
        problems.push(
          `${at}.name: ${JSON.stringify(raw.name)} is not "<CA host>\\<CA name>"; write it as "dc\\\\myca" in JSON`,
        );
      }
      if (typeof raw.commonName !== "string" || raw.commonName === "") {
        problems.push(`${at}.commonName: expected the CA certificate's common name, e.g. "contoso-DC-CA"`);
      }
      const enrollers = stringArray(raw.enrollers, `${at}.enrollers`, problems, { nonEmpty: false, fqdn: false });
      const templates = stringArray(raw.templates, `${at}.templates`, problems, { nonEmpty: true, fqdn: false });
      authorities.push({ name: String(raw.name), commonName: String(raw.commonName), enrollers, templates });
    },
  );
  return authorities;
}

/** Visits each item of a JSON array that is an object with only the allowed keys; reports the others. */
function forEachRecord(
  items: readonly unknown[],
  path: string,
  expected: string,
  keys: readonly string[],
  problems: string[],
  visit: (raw: Record<string, unknown>, at: string) => void,
): void {
  items.forEach((raw, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(raw)) {
      problems.push(`${at}: expected an object with ${expected}`);
      return;
    }
    checkKeys(raw, at, keys, problems);
    visit(raw, at);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function defaultShellValue(value: unknown, at: string, problems: string[]): DefaultShell | undefined {
  if (value === undefined) return undefined;
  if (value === "cmd" || value === "powershell") return value;
  problems.push(`${at}: ${JSON.stringify(value)} is not a default shell; use "cmd" (Windows' default) or "powershell"`);
  return undefined;
}

const MANAGEMENT_MODULES: Readonly<Record<ProductVersion, ManagementModule>> = {
  Lync2013: "Lync",
  SfB2015: "SkypeForBusiness",
  SfB2019: "SkypeForBusiness",
  SfBSE: "SkypeForBusiness",
};

function productVersionValue(value: unknown, at: string, problems: string[]): ProductVersion | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && Object.hasOwn(MANAGEMENT_MODULES, value)) return value as ProductVersion;
  const versions = Object.keys(MANAGEMENT_MODULES).join(", ");
  problems.push(`${at}: ${JSON.stringify(value)} is not a product version; use one of ${versions}`);
  return undefined;
}

/** The management module a pool's servers have: `Lync` on Lync Server 2013, `SkypeForBusiness` on SfB. */
export function managementModuleOf(pool: Pool): ManagementModule {
  return MANAGEMENT_MODULES[pool.version ?? "Lync2013"];
}

/** The shell OpenSSH runs exec requests through on a server: the pool's, else the topology's, else cmd. */
export function defaultShellOf(topology: Topology, serverFqdn: string): DefaultShell {
  return poolOfServer(topology, serverFqdn)?.defaultShell ?? topology.defaultShell ?? "cmd";
}

function checkKeys(value: Record<string, unknown>, at: string, allowed: readonly string[], problems: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.push(`${at}.${key}: unknown property; expected one of ${allowed.join(", ")}`);
  }
}

function fqdnValue(value: unknown, at: string, problems: string[]): string | undefined {
  if (typeof value !== "string" || !FQDN.test(value)) {
    problems.push(`${at}: ${JSON.stringify(value)} is not a fully qualified domain name such as "pool01.contoso.com"`);
    return undefined;
  }
  return value;
}

function optionalFqdn(value: unknown, at: string, problems: string[]): string | undefined {
  return value === undefined ? undefined : fqdnValue(value, at, problems);
}

function stringArray(
  value: unknown,
  at: string,
  problems: string[],
  rules: { nonEmpty: boolean; fqdn: boolean },
): string[] {
  if (!Array.isArray(value) || (rules.nonEmpty && value.length === 0)) {
    problems.push(`${at}: expected ${rules.nonEmpty ? "a non-empty" : "an"} array of strings`);
    return [];
  }
  const result: string[] = [];
  value.forEach((item, i) => {
    if (rules.fqdn) {
      const fqdn = fqdnValue(item, `${at}[${i}]`, problems);
      if (fqdn) result.push(fqdn);
    } else if (typeof item !== "string" || item === "") {
      problems.push(`${at}[${i}]: expected a non-empty string`);
    } else result.push(item);
  });
  return result;
}
