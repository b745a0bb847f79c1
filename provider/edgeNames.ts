// The names an Edge Server's topology requires on its certificates, per Microsoft's Edge Certificate table
// ("Plan for Edge Server certificates"): the external certificate carries the Access Edge FQDN, the Web
// Conferencing Edge FQDN and sip.<domain> for every SIP domain (the A/V Edge FQDN is never on it); XMPP
// federation adds xmpp.<domain>; the internal certificate is named after the internal pool FQDN. They are
// added to what each entry asks for, so preview names what a certificate lacks and why, and offline
// requests ask for them (-DomainName).

import { EDGE_USAGES, type CertificateUsage } from "./certificateUsages";
import type { DesiredCertificate, DesiredState } from "./desiredCertificates";
import type { EdgeTopology } from "./parseServerState";

export interface RequiredName {
  readonly name: string;
  /** Why the topology requires it, e.g. "the Access Edge name of SIP domain contoso.net". */
  readonly why: string;
}

const ACCESS_USAGES: readonly CertificateUsage[] = ["External", "AccessEdgeExternal", "XmppServer"];
const DATA_USAGES: readonly CertificateUsage[] = ["External", "DataEdgeExternal"];

/** The alternative names the topology requires on a certificate serving `usages` (Internal aside). */
export function requiredEdgeNames(usages: readonly CertificateUsage[], edge: EdgeTopology): RequiredName[] {
  const names: RequiredName[] = [];
  if (usages.some((u) => ACCESS_USAGES.includes(u))) {
    names.push({ name: edge.accessEdgeFqdn, why: "the Access Edge FQDN" });
    for (const domain of edge.sipDomains) {
      names.push({ name: `sip.${domain}`, why: `the Access Edge name of SIP domain ${domain}` });
    }
  }
  if (usages.some((u) => DATA_USAGES.includes(u))) {
    names.push({ name: edge.webConferencingEdgeFqdn, why: "the Web Conferencing Edge FQDN" });
  }
  if (usages.includes("XmppServer")) {
    for (const domain of edge.sipDomains) {
      names.push({ name: `xmpp.${domain}`, why: `the XMPP federation name of SIP domain ${domain}` });
    }
  }
  // The Access Edge FQDN is usually sip.<primary domain>: one name, its first reason.
  return names.filter((n, i) => names.findIndex((m) => m.name === n.name) === i);
}

/**
 * The desired state with the names the server's topology requires added to its Edge entries, and what
 * cannot be satisfied at all (Edge usages on a server that is no Edge Server, XmppServer without XMPP
 * federation), as reasons naming the server.
 */
export function withEdgeNames(
  desired: DesiredState,
  edge: EdgeTopology | undefined,
  server: string,
): { desired: DesiredState; problems: string[] } {
  const problems: string[] = [];
  const certificates = desired.certificates.map((certificate): DesiredCertificate => {
    const edgeUsages = certificate.usages.filter((u) => EDGE_USAGES.includes(u));
    if (edgeUsages.length === 0) return certificate;
    const entry = `certificates[${certificate.index}]`;
    if (!edge) {
      problems.push(
        `${server} ${edgeUsages.join(", ")}: the topology shows no Edge pool with this server (Get-CsPool, Get-CsService -EdgeServer); Edge usages belong on an Edge Server, so connect ${entry} to one or remove them`,
      );
      return certificate;
    }
    if (certificate.usages.includes("XmppServer") && !edge.xmppFederation) {
      problems.push(
        `${server} XmppServer: XMPP federation is not enabled on the Edge pool ${edge.poolFqdn}; enable it in Topology Builder and publish the topology, or remove XmppServer from ${entry}.usages`,
      );
    }
    const names = [...certificate.subjectAlternativeNames];
    const nameReasons: Record<string, string> = { ...certificate.nameReasons };
    for (const { name, why } of requiredEdgeNames(certificate.usages, edge)) {
      if (!names.includes(name)) names.push(name);
      nameReasons[name] ??= `${why} in the topology`;
    }
    // Microsoft's table gives the internal certificate a subject name and no SAN.
    const subject = certificate.usages.includes("Internal")
      ? (certificate.subject ?? edge.poolFqdn)
      : certificate.subject;
    return { ...certificate, subjectAlternativeNames: names, nameReasons, subject };
  });
  return { desired: { ...desired, certificates }, problems };
}
