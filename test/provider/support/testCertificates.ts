// Real X.509 certificates for the provider's tests, signed with node-forge (keys from Node's
// crypto: forge's own prime search is slow).

import { generateKeyPairSync } from "node:crypto";
import forge from "node-forge";

export interface TestCertificateOptions {
  readonly commonName?: string;
  readonly dnsNames?: readonly string[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly keyBits?: number;
  /** EKU OIDs by name; undefined leaves the extension out. */
  readonly extKeyUsage?: { serverAuth?: boolean; clientAuth?: boolean };
  readonly serial?: string;
}

export interface TestCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly derBase64: string;
}

const keyCache = new Map<number, { privateKeyPem: string }>();

function rsaKey(bits: number): { privateKeyPem: string } {
  let key = keyCache.get(bits);
  if (!key) {
    const pair = generateKeyPairSync("rsa", { modulusLength: bits });
    key = { privateKeyPem: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
    keyCache.set(bits, key);
  }
  return key;
}

export function makeCertificate(options: TestCertificateOptions = {}): TestCertificate {
  const { privateKeyPem } = rsaKey(options.keyBits ?? 2048);
  const privateKey = forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey;
  const publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  certificate.serialNumber = options.serial ?? "01" + forge.util.bytesToHex(forge.random.getBytesSync(8));
  certificate.validity.notBefore = options.notBefore ?? new Date("2026-01-01T00:00:00Z");
  certificate.validity.notAfter = options.notAfter ?? new Date("2028-01-01T00:00:00Z");
  certificate.setSubject([{ name: "commonName", value: options.commonName ?? "pool01.contoso.com" }]);
  certificate.setIssuer([
    { name: "commonName", value: "contoso-DC-CA" },
    { shortName: "DC", type: "0.9.2342.19200300.100.1.25", value: "contoso" } as forge.pki.CertificateField,
  ]);
  const extensions: object[] = [];
  if (options.dnsNames && options.dnsNames.length > 0) {
    extensions.push({ name: "subjectAltName", altNames: options.dnsNames.map((value) => ({ type: 2, value })) });
  }
  const eku = options.extKeyUsage === undefined ? { serverAuth: true } : options.extKeyUsage;
  if (eku !== null) extensions.push({ name: "extKeyUsage", ...eku });
  certificate.setExtensions(extensions);
  certificate.sign(privateKey, forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(certificate);
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes();
  return { certificatePem, privateKeyPem, derBase64: forge.util.encode64(der) };
}

/** A PFX (base64) holding the certificate and its key. */
export function makePfx(certificate: TestCertificate, password: string): string {
  const key = forge.pki.privateKeyFromPem(certificate.privateKeyPem);
  const cert = forge.pki.certificateFromPem(certificate.certificatePem);
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: "3des" });
  return forge.util.encode64(forge.asn1.toDer(p12).getBytes());
}
