// The subject and names Request-CsCertificate computes for an Edge Server's usages, from the Edge pool's
// names in the topology (Microsoft's "Plan for Edge Server certificates", Edge Certificate table):
// - External interface (AccessEdgeExternal, DataEdgeExternal, AudioVideoAuthentication, or the old
//   combined External): subject the Access Edge FQDN; SANs, in the table's order, the Access Edge FQDN,
//   the Web Conferencing Edge FQDN, then sip.<domain> per SIP domain. The A/V Edge FQDN is never on it.
// - XmppServer: the external names plus xmpp.<domain> and *.<domain> ("two additional SAN entries").
// - Internal interface: subject the internal pool FQDN; Microsoft says no SAN is needed.
// Like the Front End rule, sip.<domain> comes for every SIP domain with -AllSipDomain and for the
// primary one only without it ("you'll only need to add SAN entries for any additional SIP domains").

import type { CertType, Pool } from "./lyncHost";

const ACCESS_TYPES: readonly CertType[] = ["External", "AccessEdgeExternal", "XmppServer"];
const DATA_TYPES: readonly CertType[] = ["External", "DataEdgeExternal"];

export interface EdgeNames {
  /** The common name, e.g. sip.contoso.com. */
  readonly commonName: string;
  /** In order, duplicates allowed (the caller drops them). */
  readonly names: readonly string[];
}

export function edgeCertificateNames(pool: Pool, types: readonly CertType[], sipDomains: readonly string[]): EdgeNames {
  if (!pool.edge) {
    throw new Error(`computing Edge certificate names for ${pool.fqdn}: the pool has no external Edge names`);
  }
  const { accessEdgeFqdn, webConferencingEdgeFqdn, audioVideoEdgeFqdn } = pool.edge;
  const access = types.some((t) => ACCESS_TYPES.includes(t));
  const data = types.some((t) => DATA_TYPES.includes(t));
  const names: string[] = [];
  // [guess] The internal name as the only SAN: Microsoft lists none, and Lync's requests always repeat
  // the subject among the SANs.
  if (types.includes("Internal")) names.push(pool.fqdn);
  if (access) names.push(accessEdgeFqdn);
  if (data) names.push(webConferencingEdgeFqdn);
  if (access) names.push(...sipDomains.map((d) => `sip.${d}`));
  if (types.includes("XmppServer")) names.push(...sipDomains.flatMap((d) => [`xmpp.${d}`, `*.${d}`]));
  const external = access || data || types.includes("AudioVideoAuthentication");
  // [guess] A certificate for A/V authentication alone is named after the A/V Edge FQDN.
  const commonName = !external
    ? pool.fqdn
    : access
      ? accessEdgeFqdn
      : data
        ? webConferencingEdgeFqdn
        : audioVideoEdgeFqdn;
  return { commonName, names: names.length > 0 ? names : [commonName] };
}
