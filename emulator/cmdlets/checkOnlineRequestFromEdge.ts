import { CA_UNREACHABLE_MESSAGE } from "../certificationAuthority";
import type { Pool } from "../lyncHost";
import { cmdletError } from "./cmdletError";

/**
 * An Edge Server is not a member of the domain and sits in the perimeter network, so it reaches no
 * enterprise CA: its certificates come from offline requests (-Output), the external one from a public CA,
 * the internal one from the internal CA. An online request fails as an unreachable CA does, before any
 * contact [guess: the exact text; the perimeter firewall makes the DCOM call fail with 0x800706ba].
 */
export function checkOnlineRequestFromEdge(cmdlet: string, pool: Pick<Pool, "role">, server: string, ca: string): void {
  if (pool.role !== "Edge") return;
  throw cmdletError(
    cmdlet,
    `${CA_UNREACHABLE_MESSAGE} "${ca}" from ${server}. The RPC server is unavailable. 0x800706ba. ` +
      "An Edge Server is not joined to the domain and cannot enroll online: make an offline request with -Output, " +
      "submit the file to the CA (a public CA for the external interface), then run Import-CsCertificate.",
    "CertificateRequestFailed",
    "ConnectionError",
  );
}
