import { createHash } from "node:crypto";
import forge from "node-forge";
import { parseWindowsName, pemToDer, publicKeyOfPrivateKey } from "../x509";

/**
 * The self-signed certificate Windows keeps in Cert:\LocalMachine\REQUEST while a request waits for the CA
 * (certreq -new does the same): the request's subject, names and key, signed by that key. Its thumbprint is
 * the request's identity in the store, and scripts read its RawData like any certificate's.
 */
export function requestPlaceholder(options: {
  readonly privateKeyPem: string;
  readonly subject: string;
  readonly dnsNames: readonly string[];
  readonly now: Date;
}): { certificatePem: string; thumbprint: string } {
  const key = forge.pki.privateKeyFromPem(options.privateKeyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKeyOfPrivateKey(options.privateKeyPem);
  // A positive serial from the key, so two requests never share one.
  cert.serialNumber = "01" + createHash("sha1").update(options.privateKeyPem).digest("hex").slice(0, 30);
  const start = Math.floor(options.now.getTime() / 1000) * 1000;
  cert.validity.notBefore = new Date(start);
  cert.validity.notAfter = new Date(start + 365 * 86_400_000);
  const name = parseWindowsName(options.subject);
  cert.setSubject(name);
  cert.setIssuer(name);
  const extensions: object[] = [{ name: "keyUsage", digitalSignature: true, keyEncipherment: true }];
  if (options.dnsNames.length > 0) {
    extensions.push({ name: "subjectAltName", altNames: options.dnsNames.map((value) => ({ type: 2, value })) });
  }
  cert.setExtensions(extensions);
  cert.sign(key, forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(cert);
  return {
    certificatePem,
    thumbprint: createHash("sha1").update(pemToDer(certificatePem)).digest("hex").toUpperCase(),
  };
}
