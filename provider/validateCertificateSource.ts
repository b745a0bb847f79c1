// check() for where an entry's certificate comes from: exactly one of an online request (ca), a PFX,
// a PEM certificate with its key, or an offline request, each well formed. Secrets are judged by
// their form only and never echoed.

import { fqdnProblem } from "./fqdnProblem";
import { hasControlCharacters, show } from "./inputChecks";
import { isUnknown } from "./providerInputs";

const SOURCES = ["ca", "pfx", "certificatePem", "offline"] as const;
// `host\CA name`: what Request-CsCertificate -Ca takes (certutil's config string form).
const CA_FORM = /^([^\\\s]+)\\([^\\]+)$/;
// Any PEM key block: PRIVATE KEY, RSA/EC/ENCRYPTED PRIVATE KEY, OPENSSH PRIVATE KEY.
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** Reports every problem with the entry's source fields to `fail`. */
export function validateCertificateSource(
  entry: Record<string, unknown>,
  path: string,
  fail: (property: string, reason: string) => void,
): void {
  // Unknown during preview (secrets from resources not yet created): judged at apply.
  const present = SOURCES.filter((s) => entry[s] !== undefined && entry[s] !== false && !isUnknown(entry[s]));
  if (present.length === 0 && !SOURCES.some((s) => isUnknown(entry[s]))) {
    fail(
      path,
      `the entry says nowhere where its certificate comes from; set one of ca ("dc\\\\myca" for an online request), pfx, certificatePem + privateKeyPem, or offline: true`,
    );
  } else if (present.length > 1) {
    fail(
      path,
      `the entry sets ${present.join(" and ")}; a certificate comes from exactly one source, keep one of them`,
    );
  }

  const ca = entry.ca;
  if (ca !== undefined && !isUnknown(ca)) {
    const match = typeof ca === "string" ? CA_FORM.exec(ca) : null;
    if (!match || fqdnProblemForCaHost(match[1]) || hasControlCharacters(match[2])) {
      fail(
        `${path}.ca`,
        `ca must have the form "<CA host>\\\\<CA name>" as Request-CsCertificate -Ca takes it, e.g. "dc\\\\myca" or "dc.contoso.com\\\\contoso-DC-CA", got ${show(ca)}`,
      );
    }
  }
  for (const field of ["caAccount", "caPassword"]) {
    if (entry[field] !== undefined && !isUnknown(entry[field]) && ca === undefined) {
      fail(`${path}.${field}`, `${field} is only used for an online request; set ca too or remove ${field}`);
    }
  }
  if (entry.caAccount !== undefined && !isUnknown(entry.caAccount) && typeof entry.caAccount !== "string") {
    fail(`${path}.caAccount`, `caAccount must be a "DOMAIN\\\\user" string, got ${show(entry.caAccount)}`);
  }
  if (entry.pfxPassword !== undefined && !isUnknown(entry.pfxPassword) && entry.pfx === undefined) {
    fail(`${path}.pfxPassword`, `pfxPassword is only used with pfx; set pfx or remove pfxPassword`);
  }
  const pfx = entry.pfx;
  if (pfx !== undefined && !isUnknown(pfx) && (typeof pfx !== "string" || !/^[A-Za-z0-9+/\s]+={0,2}\s*$/.test(pfx))) {
    // Never echo the PFX itself.
    fail(`${path}.pfx`, `pfx must be the PFX file's bytes in base64 (e.g. fs.readFileSync(path).toString("base64"))`);
  }
  if (entry.certificatePem !== undefined && !isUnknown(entry.certificatePem)) {
    if (typeof entry.certificatePem !== "string" || !entry.certificatePem.includes("-----BEGIN CERTIFICATE-----")) {
      fail(`${path}.certificatePem`, `certificatePem must be a PEM certificate ("-----BEGIN CERTIFICATE-----…")`);
    } else if (PRIVATE_KEY_BLOCK.test(entry.certificatePem)) {
      // certificatePem is not a secret input: a key left in it would be stored in plaintext.
      fail(
        `${path}.certificatePem`,
        `certificatePem holds a private key block (${PRIVATE_KEY_BLOCK.exec(entry.certificatePem)![0]}), and certificatePem is stored in plaintext in the state; keep only the CERTIFICATE blocks there and pass the key in privateKeyPem, which is secret`,
      );
    }
    if (entry.privateKeyPem === undefined) {
      fail(
        `${path}.privateKeyPem`,
        `certificatePem needs privateKeyPem: Lync can only assign a certificate whose private key is in the store`,
      );
    }
  }
  if (entry.privateKeyPem !== undefined && !isUnknown(entry.privateKeyPem) && entry.certificatePem === undefined) {
    fail(
      `${path}.privateKeyPem`,
      `privateKeyPem is only used with certificatePem; set certificatePem or remove privateKeyPem`,
    );
  }
  if (entry.privateKeyPem !== undefined && !isUnknown(entry.privateKeyPem)) {
    if (
      typeof entry.privateKeyPem !== "string" ||
      !/-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----/.test(entry.privateKeyPem)
    ) {
      fail(
        `${path}.privateKeyPem`,
        `privateKeyPem must be an unencrypted PEM private key ("-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----")`,
      );
    }
  }
  if (entry.offline !== undefined && !isUnknown(entry.offline) && typeof entry.offline !== "boolean") {
    fail(`${path}.offline`, `offline must be true or false, got ${show(entry.offline)}`);
  }
  if (entry.issuedCertificatePem !== undefined && entry.offline !== true && !isUnknown(entry.offline)) {
    fail(
      `${path}.issuedCertificatePem`,
      `issuedCertificatePem completes an offline request; set offline: true, or use certificatePem + privateKeyPem for a certificate made elsewhere`,
    );
  }
  if (entry.issuedCertificatePem !== undefined && !isUnknown(entry.issuedCertificatePem)) {
    if (
      typeof entry.issuedCertificatePem !== "string" ||
      !entry.issuedCertificatePem.includes("-----BEGIN CERTIFICATE-----")
    ) {
      fail(
        `${path}.issuedCertificatePem`,
        `issuedCertificatePem must be the CA's answer as a PEM certificate ("-----BEGIN CERTIFICATE-----…")`,
      );
    } else if (PRIVATE_KEY_BLOCK.test(entry.issuedCertificatePem)) {
      fail(
        `${path}.issuedCertificatePem`,
        `issuedCertificatePem holds a private key block (${PRIVATE_KEY_BLOCK.exec(entry.issuedCertificatePem)![0]}), and it is stored in plaintext in the state; give only the CA's CERTIFICATE blocks: the offline request's key is already on the server`,
      );
    }
  }
}

function fqdnProblemForCaHost(host: string): string | undefined {
  // A bare NetBIOS name ("dc") is what the procedure uses; an FQDN is fine too.
  if (/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(host)) return undefined;
  return fqdnProblem(host);
}
