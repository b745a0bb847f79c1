import type { LyncHost, StoredCertificate } from "../lyncHost";
import { cmdletError } from "./cmdletError";

/**
 * The certificate a thumbprint names, if Lync could use it: it must be in Cert:\LocalMachine\My and
 * hold its private key (a certificate imported without its key cannot serve TLS).
 */
export function assignableCertificate(cmdlet: string, host: LyncHost, thumbprint: string): StoredCertificate {
  const certificate = host.getCertificate(thumbprint);
  if (certificate === undefined) {
    throw cmdletError(
      cmdlet,
      `Certificate with thumbprint "${thumbprint}" is not found in certificate store Cert:\\LocalMachine\\My on ${host.fqdn}. ` +
        "Import it first (Import-CsCertificate) or check the thumbprint with Get-ChildItem Cert:\\LocalMachine\\My.",
      "CertificateNotFound",
      "ObjectNotFound",
      { targetObject: thumbprint },
    );
  }
  if (certificate.privateKeyPem === undefined) {
    throw cmdletError(
      cmdlet,
      `Certificate with thumbprint "${thumbprint}" on ${host.fqdn} has no private key. ` +
        "Import the certificate with its private key (a PFX file, or the response to this server's own request).",
      "CertificateWithoutPrivateKey",
      "InvalidData",
      { targetObject: thumbprint },
    );
  }
  return certificate;
}
