import { X509Certificate } from "node:crypto";
import type { LyncHost, StoredCertificate } from "../lyncHost";
import { cmdletError } from "./cmdletError";

/** Microsoft: the server-to-server (OAuthTokenIssuer) certificate "must be at least 2048 bits". */
export const MINIMUM_GLOBAL_KEY_BITS = 2048;

/**
 * Refuses a certificate the Central Management store could not deploy: an RSA key under 2048 bits, or (when
 * assigned from the store by thumbprint) a private key that cannot be exported, since replication copies the
 * key to every Front End. A PFX file brings its key in exportable form. The texts are [guess]; the
 * non-exportable one is what Windows says when asked to export such a key (NTE_BAD_KEY_STATE).
 */
export function checkGlobalCertificate(
  cmdlet: string,
  host: LyncHost,
  certificate: Pick<StoredCertificate, "thumbprint" | "certificatePem" | "privateKeyExportable">,
  source: "store" | "pfx",
): void {
  const bits = new X509Certificate(certificate.certificatePem).publicKey.asymmetricKeyDetails?.modulusLength;
  if (bits !== undefined && bits < MINIMUM_GLOBAL_KEY_BITS) {
    throw cmdletError(
      cmdlet,
      `The certificate with thumbprint "${certificate.thumbprint}" has a ${bits}-bit key; a global certificate needs ` +
        `a key of at least ${MINIMUM_GLOBAL_KEY_BITS} bits. Request one with -KeySize 2048 or more.`,
      "KeySizeTooSmall",
      "InvalidData",
      { targetObject: certificate.thumbprint },
    );
  }
  if (source === "store" && !certificate.privateKeyExportable) {
    throw cmdletError(
      cmdlet,
      `Key not valid for use in specified state. The private key of the certificate with thumbprint ` +
        `"${certificate.thumbprint}" on ${host.fqdn} cannot be exported, and a global certificate is replicated ` +
        "with its key. Request it with -PrivateKeyExportable $true, or import it with Import-CsCertificate -PrivateKeyExportable $true.",
      "PrivateKeyNotExportable",
      "InvalidOperation",
      { targetObject: certificate.thumbprint },
    );
  }
}
