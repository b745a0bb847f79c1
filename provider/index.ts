// The public API of pulumi-lync-certificates.
export {
  CertificateAssignment,
  type CertificateArgs,
  type CertificateAssignmentArgs,
  type CertificateOutput,
  type ConnectionArgs,
  type ProxyConnectionArgs,
  type RollArgs,
  type SipDomainArgs,
} from "./certificateAssignment";
export { certificateAssignmentProvider } from "./certificateAssignmentProvider";
export type { CertificateSourceArgs } from "./certificateSourceArgs";
export { OAuthTokenIssuer, type OAuthTokenIssuerArgs, type OAuthTokenIssuerOutputs } from "./oauthTokenIssuer";
export { oauthTokenIssuerProvider } from "./oauthTokenIssuerProvider";
export { quotePowerShell } from "./quotePowerShell";
