// An Edge Server's two certificates. An Edge Server is not in the domain and reaches no enterprise CA,
// so both come from offline requests: the first `pulumi up` makes them on the server and exports their
// CSRs; once the CAs have issued the certificates, put them in config and `pulumi up` imports and assigns
// them.
// - External: one certificate for the Access Edge, Web Conferencing Edge and A/V authentication, as
//   Microsoft recommends (and XMPP federation where the topology enables it), from a public CA.
// - Internal: from the internal CA.
// The names come from the topology: the provider reads the Edge pool's names from the server and checks
// every certificate for them (the Access Edge FQDN, the Web Conferencing Edge FQDN, sip.<domain> for every
// SIP domain, xmpp.<domain> with XMPP, the internal pool FQDN); list only names beyond those.
import * as pulumi from "@pulumi/pulumi";
import { CertificateAssignment } from "pulumi-lync-certificates";

interface ServerConfig {
  fqdn: string;
  /** @default the fqdn */
  host?: string;
  /** @default 22 */
  port?: number;
  hostKey?: string;
}

const config = new pulumi.Config();
const server = config.requireObject<ServerConfig>("server");
const user = config.require("user");
const password = config.requireSecret("password");
/** Add XmppServer to the external certificate (the Edge pool federates over XMPP). */
const xmppFederation = config.getBoolean("xmppFederation") ?? false;
/** Names beyond the topology's on the external certificate, e.g. another Access Edge name. */
const extraExternalNames = config.getObject<string[]>("extraExternalNames") ?? [];
/** PEM of what the public CA issued for externalCsr; absent until then. */
const externalCertificatePem = config.get("externalCertificatePem");
/** PEM of what the internal CA issued for internalCsr; absent until then. */
const internalCertificatePem = config.get("internalCertificatePem");

const external = ["AccessEdgeExternal", "DataEdgeExternal", "AudioVideoAuthentication"];
const edge = new CertificateAssignment(server.fqdn, {
  connection: { host: server.host ?? server.fqdn, port: server.port ?? 22, user, password, hostKey: server.hostKey },
  certificates: [
    {
      usages: xmppFederation ? [...external, "XmppServer"] : external,
      subjectAlternativeNames: extraExternalNames,
      offline: true,
      issuedCertificatePem: externalCertificatePem,
    },
    { usages: ["Internal"], subjectAlternativeNames: [], offline: true, issuedCertificatePem: internalCertificatePem },
  ],
});

const entry = (usage: string) => edge.certificates.apply((entries) => entries.find((c) => c.usages.includes(usage)));

/** The external certificate's request (PEM), for the public CA. */
export const externalCsr = entry("AccessEdgeExternal").apply((c) => c?.csr);
/** The internal certificate's request (PEM), for the internal CA. */
export const internalCsr = entry("Internal").apply((c) => c?.csr);
/** Empty until the issued certificate is supplied and assigned. */
export const externalThumbprint = entry("AccessEdgeExternal").apply((c) => c?.thumbprint);
export const internalThumbprint = entry("Internal").apply((c) => c?.thumbprint);
