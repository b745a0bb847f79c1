// What Lync accepts: where an assignment lives, which usages a role takes, what a global certificate
// needs, and which certificate serves a usage while a roll is staged.

import { X509Certificate } from "node:crypto";
import {
  EDGE_CERT_TYPES,
  FRONT_END_CERT_TYPES,
  GLOBAL_CERT_TYPES,
  type Assignment,
  type CertType,
  type LyncHost,
  type Pool,
  type StoredCertificate,
} from "../lyncHost";
import { cmdletError } from "./cmdletSupport";

/**
 * Where an assignment lives: -Identity global means the Central Management store (replicated to every
 * Front End); no -Identity means the local computer. Lync accepts no other XdsIdentity for certificates.
 * Local types cannot be global [guess: Lync's text unknown]. A global-only type (OAuthTokenIssuer) given
 * without -Identity still lives in the Central Management store (see scopeOfType).
 */
export function certificateScope(
  cmdlet: string,
  identity: unknown,
  types: readonly CertType[] | undefined,
  host: string,
): "local" | "global" {
  const text = identity === undefined || identity === null ? "" : String(identity).trim();
  if (text !== "" && text.toLowerCase() !== "global") {
    throw cmdletError(
      cmdlet,
      `Identity "${text}" is not valid on ${host}: certificates are assigned on the local computer (omit -Identity) or at the global scope (-Identity global).`,
      "InvalidIdentity",
      "InvalidArgument",
    );
  }
  const scope = text === "" ? "local" : "global";
  for (const type of types ?? []) {
    const globalOnly = GLOBAL_CERT_TYPES.includes(type);
    if (scope === "global" && !globalOnly) {
      throw cmdletError(
        cmdlet,
        `The ${type} certificate is a local certificate and cannot be used at the global scope. Omit -Identity, or use -Type ${GLOBAL_CERT_TYPES.join(",")} with -Identity global.`,
        "LocalCertificateTypeAtGlobalScope",
        "InvalidArgument",
      );
    }
  }
  return scope;
}

/**
 * The scope one type lives in. Microsoft's staging page runs `Set-CsCertificate -Type OAuthTokenIssuer
 * -Thumbprint … -Roll -EffectiveDate …` and `Remove-CsCertificate -Type OAuthTokenIssuer -Previous` without
 * -Identity, on the global certificate: a global-only type needs no -Identity global [guess: whether Lync
 * also warns is unknown].
 */
export function scopeOfType(scope: "local" | "global", type: CertType): "local" | "global" {
  return scope === "global" || GLOBAL_CERT_TYPES.includes(type) ? "global" : "local";
}

const EDGE_ONLY: readonly CertType[] = EDGE_CERT_TYPES;
const FRONT_END_ONLY: readonly CertType[] = FRONT_END_CERT_TYPES;

/**
 * Lync assigns and requests only the usages the server's roles use: the Edge usages on an Edge Server, the
 * Default and web services usages on a Front End or Director [guess: Lync's wording is unknown]. Other
 * usages (push notification, OAuth, ...) are not checked.
 */
export function checkUsagesForRole(
  cmdlet: string,
  types: readonly CertType[],
  pool: Pick<Pool, "role">,
  server: string,
): void {
  const foreign = types.filter((t) => (pool.role === "Edge" ? FRONT_END_ONLY : EDGE_ONLY).includes(t));
  if (foreign.length === 0) return;
  const role = pool.role === "Edge" ? "Edge Server" : pool.role === "Director" ? "Director" : "Front End Server";
  const own = pool.role === "Edge" ? EDGE_ONLY : FRONT_END_ONLY;
  throw cmdletError(
    cmdlet,
    `The certificate type ${foreign.join(", ")} is not used by the ${role} role of ${server}. Use ${own.join(", ")}.`,
    "CertificateTypeNotValidForRole",
    "InvalidArgument",
  );
}

/** Microsoft: the server-to-server (OAuthTokenIssuer) certificate "must be at least 2048 bits". */
const MINIMUM_GLOBAL_KEY_BITS = 2048;

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

/**
 * The certificate a usage serves with at `now` (the server's clock): a staged certificate (-Roll
 * -EffectiveDate) takes over at its effective date, and until then the previous one stays in force, so a
 * moving clock switches the usage in one step and never leaves it without a certificate.
 */
export function thumbprintInForce(assignment: Assignment, now: Date): string | undefined {
  return isStaged(assignment, now) ? assignment.previousThumbprint : assignment.thumbprint;
}

/** True while the current certificate waits for its effective date. */
export function isStaged(assignment: Assignment, now: Date): boolean {
  return assignment.effectiveDate !== undefined && now.getTime() < Date.parse(assignment.effectiveDate);
}
