import type { PendingRequest } from "../lyncHost";

/**
 * A pending request as the cmdlets keep it in Cert:\LocalMachine\REQUEST: the contract's fields plus what
 * they add (the server keeps the object as it is, so the extras persist). Readers must cope without them:
 * requests written by other code carry only the contract's fields.
 */
export interface PendingRequestRecord extends PendingRequest {
  /** The CA and request ID of an online request the CA left pending (Request-CsCertificate -Retrieve). */
  readonly requestId?: number;
  readonly ca?: string;
  /** The self-signed placeholder certificate Windows shows in the REQUEST store (its thumbprint is `thumbprint`). */
  readonly placeholderCertificatePem?: string;
}
