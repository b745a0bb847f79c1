// The subject and SANs Request-CsCertificate computes from the topology for a server and a set of
// usage types. Lync reads the published topology; we read topology JSON.
//
// Modelled behaviour (see the reference notes, "Request-CsCertificate"):
// - Subject: CN=<pool FQDN>. For a single-server pool the pool FQDN is the server FQDN, so the
//   same rule gives CN=<server FQDN>.
// - SANs, in this order: pool FQDN, server FQDN; for Default and the web services types the simple
//   URLs (meet..., dialin, admin); the internal web services FQDN for WebServicesInternal and the
//   external one for WebServicesExternal; then the per-SIP-domain names; then -DomainName's names.
// - Per-SIP-domain names: sip.<domain> for Default (automatic client sign-in), lyncdiscoverinternal.
//   <domain> for WebServicesInternal and lyncdiscover.<domain> for WebServicesExternal. With
//   -AllSipDomain these come for EVERY SIP domain. Without it, only sip.<primary domain> and no
//   Autodiscover names at all: admins report [seen] that requests without -AllSipDomain (and
//   sometimes with it) miss the lyncdiscover names, which is why the mobility procedure lists them
//   with -DomainName. We keep the rule simple and deterministic rather than reproduce the misses.
// - Duplicates are dropped case-insensitively, keeping the first spelling and position.
// - Edge Servers have their own rules: see edgeNames.ts.

import { edgeCertificateNames } from "./edgeNames";
import type { CertType, Pool, Topology } from "./lyncHost";

const WEB_TYPES: readonly CertType[] = ["Default", "WebServicesInternal", "WebServicesExternal"];

export interface CertificateNames {
  /** Windows form, e.g. "CN=pool01.contoso.com". */
  readonly subject: string;
  readonly alternativeNames: readonly string[];
}

export function computeCertificateNames(
  topology: Topology,
  serverFqdn: string,
  types: readonly CertType[],
  options: { readonly allSipDomain: boolean; readonly domainNames: readonly string[] },
): CertificateNames {
  const pool = poolOfServer(topology, serverFqdn);
  const domains = options.allSipDomain ? topology.sipDomains : topology.sipDomains.slice(0, 1);
  if (pool.role === "Edge") {
    const edge = edgeCertificateNames(pool, types, domains);
    return distinct(`CN=${edge.commonName}`, edge.names, options.domainNames);
  }
  const has = (type: CertType): boolean => types.includes(type);
  const names: string[] = [pool.fqdn, serverFqdn];

  if (types.some((t) => WEB_TYPES.includes(t))) {
    names.push(...topology.simpleUrls.meet, topology.simpleUrls.dialin);
    if (topology.simpleUrls.admin) names.push(topology.simpleUrls.admin);
  }
  if (has("WebServicesInternal") && pool.internalWebFqdn) names.push(pool.internalWebFqdn);
  if (has("WebServicesExternal") && pool.externalWebFqdn) names.push(pool.externalWebFqdn);

  if (has("Default")) names.push(...domains.map((d) => `sip.${d}`));
  if (options.allSipDomain) {
    if (has("WebServicesInternal")) names.push(...domains.map((d) => `lyncdiscoverinternal.${d}`));
    if (has("WebServicesExternal")) names.push(...domains.map((d) => `lyncdiscover.${d}`));
  }

  return distinct(`CN=${pool.fqdn}`, names, options.domainNames);
}

function distinct(subject: string, computed: readonly string[], domainNames: readonly string[]): CertificateNames {
  const names = [...computed];
  // -DomainName is one comma-separated string in the procedure; accept either form.
  for (const entry of domainNames) names.push(...entry.split(","));

  const seen = new Set<string>();
  const alternativeNames: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (name === "" || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    alternativeNames.push(name);
  }
  return { subject, alternativeNames };
}

function poolOfServer(topology: Topology, serverFqdn: string): Pool {
  const wanted = serverFqdn.toLowerCase();
  const pool = topology.pools.find((p) => p.servers.some((s) => s.toLowerCase() === wanted));
  if (!pool) {
    throw new Error(
      `computing certificate names for ${serverFqdn}: the server is in no pool of the topology; add it to a pool's "servers"`,
    );
  }
  return pool;
}
