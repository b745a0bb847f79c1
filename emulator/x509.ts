// X.509 helpers shared by the emulator's CA, its certificate store and the Cs cmdlets.
//
// node-forge does the ASN.1; Node's crypto generates RSA keys (forge's pure-JS prime search takes
// seconds for 2048 bits, OpenSSL takes milliseconds). Names are rendered the way Windows shows
// them (X500DistinguishedName.Name): most specific RDN first, ", " between them, "S=" for the
// state and "DC=" for domain components.

import { createHash, generateKeyPair, generateKeyPairSync, sign as cryptoSign } from "node:crypto";
import forge from "node-forge";

/** What Get-ChildItem Cert:\ and Get-CsCertificate show of a certificate. */
export interface CertificateSummary {
  /** SHA-1 of the DER certificate, 40 upper-case hex characters. */
  readonly thumbprint: string;
  /** Windows form, e.g. "CN=pool01.contoso.com". */
  readonly subject: string;
  /** Windows form, e.g. "CN=contoso-DC-CA, DC=contoso, DC=com". */
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Upper-case hex, as Windows shows SerialNumber (no leading 00 sign byte). */
  readonly serialNumber: string;
  /** Subject Alternative Name DNS entries, in certificate order. */
  readonly dnsNames: readonly string[];
  /** The DER certificate in base64 (RawData). */
  readonly derBase64: string;
  readonly publicKeyBits: number;
  /** True when the EKU extension lists Server Authentication (1.3.6.1.5.5.7.3.1). */
  readonly hasServerAuthEku: boolean;
  /** e.g. "sha256WithRSAEncryption". */
  readonly signatureAlgorithm: string;
}

export interface RsaKeyPair {
  /** PKCS#8 PEM ("BEGIN PRIVATE KEY"). */
  readonly privateKeyPem: string;
  /** SPKI PEM ("BEGIN PUBLIC KEY"). */
  readonly publicKeyPem: string;
}

export interface PfxContents {
  readonly certificatePem: string;
  /** PKCS#8 PEM; absent when the PFX carries no key. */
  readonly privateKeyPem?: string;
  /** The other certificates of the PFX (issuers). */
  readonly chainPem: readonly string[];
}

/** Windows' text for a PFX password that does not open the file (CRYPT_E_BAD_DECODE's sibling, ERROR_INVALID_PASSWORD). */
export const PFX_WRONG_PASSWORD_MESSAGE = "The specified network password is not correct.";

const SERVER_AUTH_EKU_OID = "1.3.6.1.5.5.7.3.1";
const DOMAIN_COMPONENT_OID = "0.9.2342.19200300.100.1.25";

// Windows' X500 short names; forge knows most of these OIDs by long name only.
const SHORT_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "S",
  "2.5.4.9": "STREET",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.5": "SERIALNUMBER",
  [DOMAIN_COMPONENT_OID]: "DC",
  "1.2.840.113549.1.9.1": "E",
};

/** SHA-1 of the DER certificate as 40 upper-case hex characters (Windows' Thumbprint). */
export function thumbprintOf(certificatePem: string): string {
  return createHash("sha1").update(pemToDer(certificatePem)).digest("hex").toUpperCase();
}

/** The DER bytes of the first PEM block. */
export function pemToDer(pem: string): Buffer {
  const match = /-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/.exec(pem);
  if (!match) throw new Error("reading a PEM block: no BEGIN/END markers found; pass a PEM-encoded certificate");
  return Buffer.from(match[1].replace(/\s+/g, ""), "base64");
}

export function describeCertificate(certificatePem: string): CertificateSummary {
  const cert = parseCertificate(certificatePem);
  const der = pemToDer(certificatePem);
  const san = cert.getExtension("subjectAltName") as { altNames?: { type: number; value: string }[] } | null;
  const eku = cert.getExtension("extKeyUsage") as Record<string, unknown> | null;
  const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
  return {
    thumbprint: createHash("sha1").update(der).digest("hex").toUpperCase(),
    subject: windowsName(cert.subject.attributes),
    issuer: windowsName(cert.issuer.attributes),
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
    serialNumber: cert.serialNumber.replace(/^(00)+(?=.)/, "").toUpperCase(),
    dnsNames: (san?.altNames ?? []).filter((n) => n.type === 2).map((n) => n.value),
    derBase64: der.toString("base64"),
    publicKeyBits: publicKey.n.bitLength(),
    hasServerAuthEku: Boolean(eku && (eku.serverAuth === true || eku[SERVER_AUTH_EKU_OID] === true)),
    signatureAlgorithm: forge.pki.oids[cert.siginfo.algorithmOid] ?? cert.siginfo.algorithmOid,
  };
}

/** Parses a PEM certificate with forge, with an error that says what was wrong. */
function parseCertificate(certificatePem: string): forge.pki.Certificate {
  try {
    return forge.pki.certificateFromPem(certificatePem);
  } catch (cause) {
    throw new Error(`reading a certificate: ${(cause as Error).message}; pass an RSA X.509 certificate in PEM`, {
      cause,
    });
  }
}

/** Windows' rendering of a distinguished name: most specific RDN first. */
export function windowsName(attributes: readonly forge.pki.CertificateField[]): string {
  return [...attributes]
    .reverse()
    .map((a) => `${(a.type && SHORT_NAMES[a.type]) ?? a.shortName ?? a.type}=${quoteRdnValue(String(a.value))}`)
    .join(", ");
}

function quoteRdnValue(value: string): string {
  // Windows wraps values holding separators in double quotes rather than escaping them.
  return /[,+=;<>#"\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Parses a Windows-form name ("CN=x, OU=y, O=z, DC=contoso, DC=com") into forge attributes in
 * DER order (least specific first).
 */
export function parseWindowsName(name: string): forge.pki.CertificateField[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of name) {
    if (ch === '"') quoted = !quoted;
    if ((ch === "," || ch === ";") && !quoted) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  if (current.trim() !== "") parts.push(current);
  const byShortName = new Map(Object.entries(SHORT_NAMES).map(([oid, short]) => [short, oid]));
  const fields = parts.map((part) => {
    const eq = part.indexOf("=");
    if (eq < 0)
      throw new Error(`reading the name "${name}": "${part.trim()}" has no "="; write it as CN=host.example.com`);
    const key = part.slice(0, eq).trim().toUpperCase();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/""/g, '"');
    const oid = byShortName.get(key === "ST" ? "S" : key);
    if (!oid) throw new Error(`reading the name "${name}": unknown attribute "${key}"; use CN, OU, O, L, S, C or DC`);
    const field: forge.pki.CertificateField = { type: oid, value };
    // forge takes the value's ASN.1 string type in valueTagClass (its typings say Class).
    const tag = (type: forge.asn1.Type): forge.asn1.Class => type as unknown as forge.asn1.Class;
    if (oid === DOMAIN_COMPONENT_OID || oid === "1.2.840.113549.1.9.1")
      field.valueTagClass = tag(forge.asn1.Type.IA5STRING);
    if (oid === "2.5.4.6") field.valueTagClass = tag(forge.asn1.Type.PRINTABLESTRING);
    return field;
  });
  return fields.reverse();
}

/** An RSA key pair from Node's crypto (fast), in PEM forms forge can read. */
export function generateRsaKeyPair(bits: number): RsaKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: bits,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/**
 * generateRsaKeyPair off the event loop: a 4096-bit key takes seconds, and every emulated server
 * shares the process, so cmdlets serving SSH sessions should prefer this one.
 */
export function generateRsaKeyPairAsync(bits: number): Promise<RsaKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      "rsa",
      {
        modulusLength: bits,
        publicExponent: 0x10001,
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      },
      (error, publicKey, privateKey) =>
        error ? reject(error) : resolve({ privateKeyPem: privateKey, publicKeyPem: publicKey }),
    );
  });
}

/** The public key of a PEM private key, as forge sees it. */
export function publicKeyOfPrivateKey(privateKeyPem: string): forge.pki.rsa.PublicKey {
  const key = forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey;
  return forge.pki.setRsaPublicKey(key.n, key.e);
}

/** PKCS#8 PEM of a forge private key (forge writes PKCS#1 by default; Windows exports PKCS#8). */
function privateKeyToPkcs8Pem(key: forge.pki.PrivateKey): string {
  const info = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key));
  return forge.pki.privateKeyInfoToPem(info);
}

/**
 * A PKCS#10 request signed with SHA-256, with the subject (Windows form or a bare FQDN, which
 * becomes CN=<fqdn>) and a SAN extension request carrying dnsNames in order.
 */
export function createCsr(options: { privateKeyPem: string; subject: string; dnsNames: readonly string[] }): string {
  const privateKey = forge.pki.privateKeyFromPem(options.privateKeyPem) as forge.pki.rsa.PrivateKey;
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  const subject = options.subject.includes("=") ? options.subject : `CN=${options.subject}`;
  csr.setSubject(parseWindowsName(subject));
  if (options.dnsNames.length > 0) {
    csr.setAttributes([
      {
        name: "extensionRequest",
        extensions: [{ name: "subjectAltName", altNames: options.dnsNames.map((value) => ({ type: 2, value })) }],
      },
    ]);
  }
  signCertificationRequest(csr, options.privateKeyPem);
  return forge.pki.certificationRequestToPem(csr);
}

/** What a CA reads from a PKCS#10 request. */
export interface CsrSummary {
  readonly subjectAttributes: forge.pki.CertificateField[];
  readonly subject: string;
  readonly dnsNames: readonly string[];
  readonly publicKey: forge.pki.rsa.PublicKey;
  readonly publicKeyBits: number;
}

/** Parses and verifies a PEM PKCS#10 request. */
export function readCsr(csrPem: string): CsrSummary {
  let csr: ReturnType<typeof forge.pki.certificationRequestFromPem>;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch (cause) {
    throw new Error(`reading a certificate request: ${(cause as Error).message}; pass a PEM PKCS#10 request`, {
      cause,
    });
  }
  if (!csr.verify()) throw new Error("reading a certificate request: its signature does not verify");
  const extensionRequest = csr.getAttribute({ name: "extensionRequest" }) as {
    extensions?: { name: string; altNames?: { type: number; value: string }[] }[];
  } | null;
  const san = extensionRequest?.extensions?.find((e) => e.name === "subjectAltName");
  const publicKey = csr.publicKey as forge.pki.rsa.PublicKey;
  return {
    subjectAttributes: csr.subject.attributes,
    subject: windowsName(csr.subject.attributes),
    dnsNames: (san?.altNames ?? []).filter((n) => n.type === 2).map((n) => n.value),
    publicKey,
    publicKeyBits: publicKey.n.bitLength(),
  };
}

/**
 * Opens a PFX (PKCS#12). A wrong password throws Error(PFX_WRONG_PASSWORD_MESSAGE), as Windows does.
 * The leaf is the certificate whose public key matches the private key (else the first one).
 */
export function readPfx(data: Uint8Array, password: string): PfxContents {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(data).toString("binary")));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (cause) {
    const text = (cause as Error).message ?? "";
    if (/password|MAC could not be verified|decrypt/i.test(text))
      throw new Error(PFX_WRONG_PASSWORD_MESSAGE, { cause });
    throw new Error(`reading a PFX file: ${text}; pass a PKCS#12 (.pfx) file`, { cause });
  }
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const certs = certBags.map((b) => b.cert).filter((c): c is forge.pki.Certificate => c !== undefined);
  if (certs.length === 0) throw new Error("reading a PFX file: it holds no certificate");
  const key = keyBags.map((b) => b.key).find((k) => k !== undefined) as forge.pki.rsa.PrivateKey | undefined;
  let leafIndex = 0;
  if (key) {
    const found = certs.findIndex((c) => (c.publicKey as forge.pki.rsa.PublicKey).n.equals(key.n));
    if (found >= 0) leafIndex = found;
  }
  return {
    certificatePem: forge.pki.certificateToPem(certs[leafIndex]),
    privateKeyPem: key ? privateKeyToPkcs8Pem(key) : undefined,
    chainPem: certs.filter((_, i) => i !== leafIndex).map((c) => forge.pki.certificateToPem(c)),
  };
}

/** A PFX with the certificate and its key (3DES, which every Windows version imports). */
export function writePfx(
  certificatePem: string,
  privateKeyPem: string,
  password: string,
  chainPem: readonly string[] = [],
): Uint8Array {
  const key = forge.pki.privateKeyFromPem(privateKeyPem);
  const certs = [certificatePem, ...chainPem].map((pem) => forge.pki.certificateFromPem(pem));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm: "3des" });
  return Uint8Array.from(Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary"));
}

const SHA256_WITH_RSA_OID = "1.2.840.113549.1.1.11";

// forge has these; its typings do not.
const forgePki = forge.pki as typeof forge.pki & {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
  getCertificationRequestInfo(csr: unknown): forge.asn1.Asn1;
};

/**
 * Signs a forge certificate with SHA-256 through Node's crypto (OpenSSL): forge's pure-JS RSA
 * private-key operation costs hundreds of milliseconds per signature.
 */
export function signCertificate(cert: forge.pki.Certificate, privateKeyPem: string): void {
  const c = cert as forge.pki.Certificate & { tbsCertificate: forge.asn1.Asn1; signatureOid: string; md: unknown };
  c.md = forge.md.sha256.create();
  c.signatureOid = c.siginfo.algorithmOid = SHA256_WITH_RSA_OID;
  c.tbsCertificate = forgePki.getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(c.tbsCertificate).getBytes(), "binary");
  c.signature = cryptoSign("sha256", tbs, privateKeyPem).toString("binary");
}

function signCertificationRequest(
  csr: ReturnType<typeof forge.pki.createCertificationRequest>,
  privateKeyPem: string,
): void {
  const c = csr as unknown as {
    md: unknown;
    signatureOid: string;
    siginfo: { algorithmOid: string };
    certificationRequestInfo: forge.asn1.Asn1;
    signature: string;
  };
  c.md = forge.md.sha256.create();
  c.signatureOid = c.siginfo.algorithmOid = SHA256_WITH_RSA_OID;
  c.certificationRequestInfo = forgePki.getCertificationRequestInfo(csr);
  const info = Buffer.from(forge.asn1.toDer(c.certificationRequestInfo).getBytes(), "binary");
  c.signature = cryptoSign("sha256", info, privateKeyPem).toString("binary");
}
