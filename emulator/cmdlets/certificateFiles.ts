// Certificate files on a server's disk, read the way Import-CsCertificate and Set-CsCertificate -Path read them.

import forge from "node-forge";
import type { LyncHost } from "../lyncHost";
import { PSSecureString } from "../powershell/values";
import { PFX_WRONG_PASSWORD_MESSAGE, readPfx, type PfxContents } from "../x509";
import { cmdletError } from "./cmdletSupport";

export interface CertificateFile {
  readonly format: "pfx" | "certificate";
  /** The end-entity certificate (the one that is not a CA, when the file holds a chain). */
  readonly certificatePem: string;
  readonly privateKeyPem?: string;
  /** The friendly name a PFX carries for its certificate; Windows gives it to the store entry. */
  readonly friendlyName?: string;
  /** The other certificates the file carried (CA chain of a .p7b or .pfx). */
  readonly chainPem: readonly string[];
}

/**
 * The certificate file a -Path names on the server's disk, read for a cmdlet: a missing file and an unreadable
 * one fail with Windows' texts ("The specified network password is not correct." for a wrong PFX password).
 * The password never appears in a message.
 */
export function certificateFileAt(cmdlet: string, host: LyncHost, path: unknown, password: unknown): CertificateFile {
  const file = String(path);
  const bytes = host.fileSystem.read(file);
  if (bytes === undefined) {
    throw cmdletError(cmdlet, `Could not find file '${file}' on ${host.fqdn}.`, "FileNotFound", "ObjectNotFound", {
      targetObject: file,
    });
  }
  try {
    return readCertificateFile(bytes, passwordText(password));
  } catch (error) {
    const text = error instanceof WrongPfxPasswordError ? error.message : "Cannot find the requested object.";
    throw cmdletError(
      cmdlet,
      `${text} (reading '${file}' on ${host.fqdn})`,
      "CertificateFileUnreadable",
      "InvalidData",
      {
        cause: error,
      },
    );
  }
}

/** A -Password value as plain text for the PFX reader (a string per the help, or a SecureString). Never print it. */
function passwordText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return value instanceof PSSecureString ? value.reveal() : String(value);
}

/** Thrown when a PFX does not open with the password; carries the text Windows prints. */
class WrongPfxPasswordError extends Error {
  constructor(options?: { cause?: unknown }) {
    super(PFX_WRONG_PASSWORD_MESSAGE, options);
  }
}

/**
 * Reads a certificate file the way Import-CsCertificate and Set-CsCertificate -Path accept them:
 * .cer/.crt in PEM or DER, .p7b/.p7c (PKCS #7, PEM or DER) with the issued certificate and its chain,
 * or .pfx/.p12 (PKCS #12) with the private key. The format is sniffed from the content, not the extension,
 * as Windows' CryptQueryObject does.
 */
function readCertificateFile(bytes: Uint8Array, password: string | undefined): CertificateFile {
  const text = Buffer.from(bytes).toString("latin1");
  if (text.includes("-----BEGIN CERTIFICATE-----")) {
    const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    return fromCertificates(pems.map((pem) => forge.pki.certificateFromPem(pem)));
  }
  if (/-----BEGIN (PKCS7|CMS)-----/.test(text)) {
    const message = forge.pkcs7.messageFromPem(text) as forge.pkcs7.PkcsSignedData;
    return fromCertificates(message.certificates);
  }
  const der = forge.util.createBuffer(text);
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(der);
  } catch (error) {
    throw new Error("Cannot find the requested object.", { cause: error });
  }
  const asCertificate = attempt(() => forge.pki.certificateFromAsn1(asn1));
  if (asCertificate) return fromCertificates([asCertificate]);
  const asPkcs7 = attempt(() => forge.pkcs7.messageFromAsn1(asn1) as forge.pkcs7.PkcsSignedData);
  if (asPkcs7?.certificates?.length) return fromCertificates(asPkcs7.certificates);
  // Anything else that parses as DER is taken for a PFX; a wrong password is the usual failure.
  let pfx: PfxContents;
  try {
    pfx = readPfx(bytes, password ?? "");
  } catch (error) {
    if ((error as Error).message === PFX_WRONG_PASSWORD_MESSAGE) {
      throw new WrongPfxPasswordError({ cause: error });
    }
    throw new Error("Cannot find the requested object.", { cause: error });
  }
  const friendlyName = pfxFriendlyName(bytes, password ?? "");
  return {
    format: "pfx",
    ...(friendlyName === undefined ? {} : { friendlyName }),
    certificatePem: pfx.certificatePem,
    ...(pfx.privateKeyPem === undefined ? {} : { privateKeyPem: pfx.privateKeyPem }),
    chainPem: [...(pfx.chainPem ?? [])],
  };
}

/** The friendlyName bag attribute of the PFX's certificate (or key), if any. */
function pfxFriendlyName(bytes: Uint8Array, password: string): string | undefined {
  return attempt(() => {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString("binary")));
    const p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
    const bags = [
      ...(p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []),
      ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ];
    return bags.map((b) => b.attributes?.friendlyName?.[0]).find((n): n is string => typeof n === "string");
  });
}

function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function fromCertificates(certificates: forge.pki.Certificate[]): CertificateFile {
  if (certificates.length === 0) throw new Error("Cannot find the requested object.");
  const isCa = (c: forge.pki.Certificate) =>
    (c.getExtension("basicConstraints") as { cA?: boolean } | null)?.cA === true;
  const leaf = certificates.find((c) => !isCa(c)) ?? certificates[0];
  return {
    format: "certificate",
    certificatePem: forge.pki.certificateToPem(leaf),
    chainPem: certificates.filter((c) => c !== leaf).map((c) => forge.pki.certificateToPem(c)),
  };
}
