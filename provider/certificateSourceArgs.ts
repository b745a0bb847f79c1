// Where a certificate comes from: the inputs CertificateAssignment's entries and OAuthTokenIssuer
// share, documented once (readArgsDocs follows `extends` to build the schema and README from them).

import type * as pulumi from "@pulumi/pulumi";

/** Where a certificate comes from: an online request to a CA, or a certificate you supply. */
export interface CertificateSourceArgs {
  /**
   * The certificate template name for requests, e.g. "WebServer".
   *
   * @default - the CA's default template
   */
  readonly template?: pulumi.Input<string>;
  /**
   * The CA for an online request, as Request-CsCertificate -CA takes it: "<CA host>\<CA name>", e.g. "dc\myca".
   *
   * @default - no online request
   */
  readonly ca?: pulumi.Input<string>;
  /**
   * The account to request with, when the connection's user lacks enroll rights on the CA or its session has no network credentials (an SSH key login, any WinRM logon), e.g. "CONTOSO\\certadmin".
   *
   * @default - the connection's user
   */
  readonly caAccount?: pulumi.Input<string>;
  /**
   * The password of caAccount.
   *
   * @default - none
   */
  readonly caPassword?: pulumi.Input<string>;
  /**
   * A certificate you supply: the PFX file's bytes in base64, with its private key.
   *
   * @default - none
   */
  readonly pfx?: pulumi.Input<string>;
  /**
   * The password of pfx.
   *
   * @default - the PFX has no password
   */
  readonly pfxPassword?: pulumi.Input<string>;
  /**
   * A certificate you supply, as PEM; needs privateKeyPem. It is not secret, so a private key block in it is refused: the key goes in privateKeyPem.
   *
   * @default - none
   */
  readonly certificatePem?: pulumi.Input<string>;
  /**
   * The unencrypted PEM private key of certificatePem.
   *
   * @default - none
   */
  readonly privateKeyPem?: pulumi.Input<string>;
}
