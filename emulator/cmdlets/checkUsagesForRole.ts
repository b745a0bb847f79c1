import type { CertType, Pool } from "../lyncHost";
import { cmdletError } from "./cmdletError";

const EDGE_ONLY: readonly CertType[] = [
  "Internal",
  "External",
  "AccessEdgeExternal",
  "DataEdgeExternal",
  "AudioVideoAuthentication",
  "XmppServer",
];
const FRONT_END_ONLY: readonly CertType[] = ["Default", "WebServicesInternal", "WebServicesExternal"];

/**
 * Lync assigns and requests only the usages the server's roles use: the Edge usages on an Edge Server, the
 * Default and web services usages on a Front End or Director [guess: Lync's wording is unknown]. Other
 * usages (push notification, OAuth, ...) are not checked. XmppServer needs XMPP federation on the Edge
 * pool: without it the Edge runs no XMPP proxy to use the certificate [guess].
 */
export function checkUsagesForRole(
  cmdlet: string,
  types: readonly CertType[],
  pool: Pick<Pool, "role" | "fqdn" | "edge">,
  server: string,
): void {
  if (pool.role === "Edge" && types.includes("XmppServer") && pool.edge?.xmppFederation !== true) {
    throw cmdletError(
      cmdlet,
      `The certificate type XmppServer is not used by ${server}: XMPP federation is not enabled on the Edge pool ${pool.fqdn}. Enable it in Topology Builder and publish the topology, or leave out XmppServer.`,
      "CertificateTypeNotValidForRole",
      "InvalidArgument",
    );
  }
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
