import { GLOBAL_CERT_TYPES, type CertType } from "../lyncHost";
import { cmdletError } from "./cmdletError";

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
