// Lync's CertType names (Microsoft.Rtc.Management.Deployment.CertType). PowerShell matches enum
// names case-insensitively; the provider always sends and stores the canonical spelling.

const CERTIFICATE_USAGES = [
  "Default",
  "WebServicesInternal",
  "WebServicesExternal",
  "Internal",
  "External",
  "AccessEdgeExternal",
  "DataEdgeExternal",
  "AudioVideoAuthentication",
  "XmppServer",
  "OAuthTokenIssuer",
  "iPhoneAPNService",
  "iPadAPNService",
  "MPNService",
  "PICWebService",
  "ProvisionService",
  "WsFedTokenTransfer",
  "LogRetentionService",
  "SMPDNSWebService",
  "TenantAdmin",
  "UpgradeEngineService",
] as const;

export type CertificateUsage = (typeof CERTIFICATE_USAGES)[number];

/** Edge Server usages: Lync requires explicit SANs on these, never wildcards. */
export const EDGE_USAGES: readonly CertificateUsage[] = [
  "Internal",
  "External",
  "AccessEdgeExternal",
  "DataEdgeExternal",
  "AudioVideoAuthentication",
  "XmppServer",
];

/** Usages whose certificates may carry the simple URL / Autodiscover wildcard `*.<domain>`. */
export const WILDCARD_USAGES: readonly CertificateUsage[] = ["Default", "WebServicesInternal", "WebServicesExternal"];

/** The canonical spelling of a usage name, matched case-insensitively; undefined when unknown. */
export function canonicalUsage(name: string): CertificateUsage | undefined {
  const lower = name.toLowerCase();
  return CERTIFICATE_USAGES.find((usage) => usage.toLowerCase() === lower);
}
