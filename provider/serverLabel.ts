/**
 * How messages name a server: the FQDN it reports; else the connection's host, followed by the
 * resource's name when the host is a bare IP address ("fe01.contoso.com (10.0.0.5)").
 */
export function serverLabel(reported: string | undefined, host: string, resourceName: string | undefined): string {
  if (reported) return reported;
  const isAddress = /^[0-9.]+$/.test(host) || host.includes(":");
  return isAddress && resourceName && resourceName !== host ? `${resourceName} (${host})` : host;
}
