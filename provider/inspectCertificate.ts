// What the provider needs to know about a certificate before it lets Lync use it, read with
// node-forge so nothing depends on what the server claims. forge only builds certificate objects
// for RSA keys; for anything else (EC, RSASSA-PSS keys) the ASN.1 is walked directly so the
// certificate can still be described and then refused with a clear reason.

import { createHash } from "node:crypto";
import forge from "node-forge";

const SERVER_AUTH_OID = "1.3.6.1.5.5.7.3.1";
const RSA_OID = "1.2.840.113549.1.1.1";
const RSASSA_PSS_OID = "1.2.840.113549.1.1.10";
const EC_OID = "1.2.840.10045.2.1";
const EKU_OID = "2.5.29.37";
const SAN_OID = "2.5.29.17";

const SHORT_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "S",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "E",
};

export interface CertificateFacts {
  /** SHA-1 of the DER bytes, 40 upper-case hex characters (Windows' Thumbprint). */
  readonly thumbprint: string;
  /** Windows form, most specific first: "CN=pool01.contoso.com, O=Contoso". */
  readonly subject: string;
  readonly subjectCommonName?: string;
  readonly issuer: string;
  /** Upper-case hex without a leading sign byte, as Windows shows it. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DNS names of the Subject Alternative Name extension, in certificate order. */
  readonly dnsNames: readonly string[];
  /** True when there is no EKU extension (any purpose) or it lists Server Authentication. */
  readonly serverAuth: boolean;
  readonly keyAlgorithm: "RSA" | "RSASSA-PSS" | "EC" | string;
  /** RSA modulus bits; undefined for other key types. */
  readonly keySize?: number;
  /** Signature algorithm OID name, e.g. "sha256WithRSAEncryption" or "RSASSA-PSS". */
  readonly signatureAlgorithm: string;
  readonly derBase64: string;
  readonly pem: string;
}

/** Reads a certificate from PEM or from base64 DER (Windows' RawData). */
export function inspectCertificate(pemOrDerBase64: string): CertificateFacts {
  const der = pemOrDerBase64.includes("-----BEGIN")
    ? pemToDer(pemOrDerBase64)
    : Buffer.from(pemOrDerBase64.replace(/\s+/g, ""), "base64");
  if (der.length === 0) throw new Error("reading a certificate: no PEM block or base64 DER found");
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString("binary")));
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }
  const [tbs, signatureAlgorithm] = asn1.value as forge.asn1.Asn1[];
  const tbsFields = tbs.value as forge.asn1.Asn1[];
  const offset = (tbsFields[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0) as number;
  const serialBytes = tbsFields[offset].value as string;
  const issuerAsn1 = tbsFields[offset + 2];
  const validity = tbsFields[offset + 3].value as forge.asn1.Asn1[];
  const subjectAsn1 = tbsFields[offset + 4];
  const spki = tbsFields[offset + 5];
  const keyAlgorithmOid = forge.asn1.derToOid(
    ((spki.value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[])[0].value as string,
  );
  const signatureOid = forge.asn1.derToOid((signatureAlgorithm.value as forge.asn1.Asn1[])[0].value as string);

  let keySize: number | undefined;
  if (keyAlgorithmOid === RSA_OID) {
    const publicKey = forge.pki.publicKeyFromAsn1(spki) as forge.pki.rsa.PublicKey;
    keySize = publicKey.n.bitLength();
  }
  const extensions = readExtensions(tbsFields.slice(offset + 6));
  const ekus = extensions.get(EKU_OID);
  const serverAuth = ekus === undefined || readOidSequence(ekus).includes(SERVER_AUTH_OID);
  const sanExtension = extensions.get(SAN_OID);
  const dnsNames = sanExtension ? readDnsNames(sanExtension) : [];

  const subjectAttributes = readName(subjectAsn1);
  const pem = `-----BEGIN CERTIFICATE-----\n${der
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .replace(/\n$/, "")}\n-----END CERTIFICATE-----\n`;
  return {
    thumbprint: createHash("sha1").update(der).digest("hex").toUpperCase(),
    subject: formatName(subjectAttributes),
    subjectCommonName: subjectAttributes.find((a) => a.short === "CN")?.value,
    issuer: formatName(readName(issuerAsn1)),
    serialNumber: Buffer.from(serialBytes, "binary")
      .toString("hex")
      .toUpperCase()
      .replace(/^(00)+(?=.)/, ""),
    notBefore: readTime(validity[0]),
    notAfter: readTime(validity[1]),
    dnsNames,
    serverAuth,
    keyAlgorithm:
      keyAlgorithmOid === RSA_OID
        ? "RSA"
        : keyAlgorithmOid === RSASSA_PSS_OID
          ? "RSASSA-PSS"
          : keyAlgorithmOid === EC_OID
            ? "EC"
            : keyAlgorithmOid,
    keySize,
    signatureAlgorithm: signatureOid === RSASSA_PSS_OID ? "RSASSA-PSS" : (forge.pki.oids[signatureOid] ?? signatureOid),
    derBase64: der.toString("base64"),
    pem,
  };
}

function readExtensions(rest: forge.asn1.Asn1[]): Map<string, forge.asn1.Asn1> {
  const result = new Map<string, forge.asn1.Asn1>();
  const wrapper = rest.find((f) => f.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && f.type === 3);
  if (!wrapper) return result;
  const sequence = (wrapper.value as forge.asn1.Asn1[])[0];
  for (const extension of sequence.value as forge.asn1.Asn1[]) {
    const parts = extension.value as forge.asn1.Asn1[];
    const oid = forge.asn1.derToOid(parts[0].value as string);
    const octets = parts[parts.length - 1].value as string;
    result.set(oid, forge.asn1.fromDer(forge.util.createBuffer(octets)));
  }
  return result;
}

function readOidSequence(sequence: forge.asn1.Asn1): string[] {
  return (sequence.value as forge.asn1.Asn1[]).map((o) => forge.asn1.derToOid(o.value as string));
}

function readDnsNames(sequence: forge.asn1.Asn1): string[] {
  // GeneralName dNSName is [2] IA5String.
  return (sequence.value as forge.asn1.Asn1[])
    .filter((n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 2)
    .map((n) => n.value as string);
}

interface NameAttribute {
  readonly short: string;
  readonly value: string;
}

function readName(name: forge.asn1.Asn1): NameAttribute[] {
  const attributes: NameAttribute[] = [];
  for (const rdn of name.value as forge.asn1.Asn1[]) {
    for (const atv of rdn.value as forge.asn1.Asn1[]) {
      const [oidNode, valueNode] = atv.value as forge.asn1.Asn1[];
      const oid = forge.asn1.derToOid(oidNode.value as string);
      let value = valueNode.value as string;
      if (valueNode.type === forge.asn1.Type.UTF8) value = forge.util.decodeUtf8(value);
      attributes.push({ short: SHORT_NAMES[oid] ?? `OID.${oid}`, value });
    }
  }
  return attributes;
}

function formatName(attributes: readonly NameAttribute[]): string {
  // Windows (X500DistinguishedName.Name) shows the most specific RDN first.
  return [...attributes]
    .reverse()
    .map((a) => `${a.short}=${a.value}`)
    .join(", ");
}

function readTime(node: forge.asn1.Asn1): Date {
  const text = node.value as string;
  return node.type === forge.asn1.Type.UTCTIME
    ? forge.asn1.utcTimeToDate(text)
    : forge.asn1.generalizedTimeToDate(text);
}

/** The DER bytes of the first CERTIFICATE block of a PEM text. */
function pemToDer(pem: string): Buffer {
  const blocks = forge.pem.decode(pem);
  const block = blocks.find((b) => b.type === "CERTIFICATE") ?? blocks[0];
  if (!block) throw new Error("reading a certificate: no PEM block found; pass a PEM-encoded certificate");
  return Buffer.from(block.body, "binary");
}
