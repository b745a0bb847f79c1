// The resource for the deployment's one OAuthTokenIssuer certificate (server-to-server
// authentication with Exchange and SharePoint): assigned once at the global scope through one Front
// End, replicated by Lync to every other, renewed by a staged roll.

import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs, RollArgs } from "./certificateAssignment";
import type { CertificateSourceArgs } from "./certificateSourceArgs";
import { OAUTH_OUTPUT_NAMES } from "./oauthInputs";
import { oauthTokenIssuerProvider } from "./oauthTokenIssuerProvider";

/** The inputs of an OAuthTokenIssuer. */
export interface OAuthTokenIssuerArgs extends CertificateSourceArgs {
  /**
   * The Front End Servers (and Directors) that must hold the certificate: the first assigns it, every one is checked for the replicated copy.
   *
   * The whole list is stored as a secret.
   */
  readonly servers: pulumi.Input<pulumi.Input<ConnectionArgs>[]>;
  /**
   * DNS names the certificate must carry as Subject Alternative Names.
   *
   * @default - none: Request-CsCertificate's own names (the pool and server FQDNs) are accepted
   */
  readonly subjectAlternativeNames?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * A host name the certificate must carry as its subject (or, failing that, as an alternative name), e.g. the SIP domain.
   *
   * @default - any subject
   */
  readonly subject?: pulumi.Input<string>;
  /**
   * The friendly name of the certificate this resource requests.
   *
   * @default "pulumi-lync <resource key> #0 <time>"
   */
  readonly friendlyName?: pulumi.Input<string>;
  /**
   * The RSA key size of a requested certificate, and the minimum accepted for any: Microsoft requires at least 2048 bits.
   *
   * @default 2048
   */
  readonly keySize?: pulumi.Input<number>;
  /**
   * The CA for an online request, as Request-CsCertificate -CA takes it: "<CA host>\<CA name>", e.g. "dc\myca"; the key is requested exportable, as replication needs.
   *
   * @default - no online request
   */
  readonly ca?: pulumi.Input<string>;
  /**
   * How a renewed certificate takes over: staged with -Roll -EffectiveDate, so every Front End has it before it signs tokens.
   *
   * The first certificate, or one replacing an expired one, takes over at once.
   *
   * @default - leadTime "24h"
   */
  readonly roll?: pulumi.Input<RollArgs>;
  /**
   * How long Lync's replication takes to deploy the certificate to every server, e.g. "15m"; roll.leadTime may not be shorter.
   *
   * @default "15m"
   */
  readonly replicationDelay?: pulumi.Input<string>;
  /**
   * Renew the certificate this many days before it expires.
   *
   * @default - at two thirds of the certificate's lifetime
   */
  readonly renewBeforeDays?: pulumi.Input<number>;
  /**
   * Renew the certificate when this percentage of its lifetime is left.
   *
   * @default - at two thirds of the certificate's lifetime
   */
  readonly renewBeforePercentage?: pulumi.Input<number>;
  /**
   * The PowerShell module holding the Cs cmdlets: "Lync" on Lync Server 2013, "SkypeForBusiness" on Skype for Business Server.
   *
   * @default "Lync"
   */
  readonly managementModule?: pulumi.Input<"Lync" | "SkypeForBusiness">;
}

/** What the deployment holds: the OAuthTokenIssuer resource's outputs besides its inputs. */
export interface OAuthTokenIssuerOutputs {
  /**
   * The thumbprint of the certificate in force now (on the first server's clock).
   */
  readonly thumbprint?: string;
  /**
   * The end of the certificate's validity (ISO 8601).
   */
  readonly notAfter?: string;
  /**
   * When the certificate is due for renewal (ISO 8601).
   */
  readonly renewalTime?: string;
  /**
   * The certificate a staged roll will make current, while it waits.
   */
  readonly stagedThumbprint?: string;
  /**
   * When stagedThumbprint becomes current (ISO 8601, the first server's clock).
   */
  readonly effectiveDate?: string;
  /**
   * Lync's previous certificate, until it is removed once the new one is current everywhere.
   */
  readonly previousThumbprint?: string;
  /**
   * The FQDN each server of servers reports, in the same order.
   */
  readonly serverNames: string[];
  /**
   * The servers whose store holds the certificate in force.
   */
  readonly serversWithCertificate: string[];
  /**
   * The servers whose store holds the staged certificate, while a roll waits.
   */
  readonly serversWithStagedCertificate?: string[];
  /**
   * The SSH host key each server presented, in the same order as servers; a later different key is refused.
   */
  readonly hostKeys: string[];
}

/**
 * The deployment's OAuthTokenIssuer certificate (one per deployment: it is global). Assigned with
 * `-Identity global` through the first server, checked on every server listed, renewed with a
 * staged roll; destroy leaves it assigned, since Exchange and SharePoint depend on it.
 */
export class OAuthTokenIssuer extends pulumi.dynamic.Resource {
  declare public readonly thumbprint: pulumi.Output<string | undefined>;
  declare public readonly notAfter: pulumi.Output<string | undefined>;
  declare public readonly renewalTime: pulumi.Output<string | undefined>;
  declare public readonly stagedThumbprint: pulumi.Output<string | undefined>;
  declare public readonly effectiveDate: pulumi.Output<string | undefined>;
  declare public readonly previousThumbprint: pulumi.Output<string | undefined>;
  declare public readonly serverNames: pulumi.Output<string[]>;
  declare public readonly serversWithCertificate: pulumi.Output<string[]>;
  declare public readonly serversWithStagedCertificate: pulumi.Output<string[] | undefined>;
  declare public readonly hostKeys: pulumi.Output<string[]>;

  constructor(name: string, args: OAuthTokenIssuerArgs, opts?: pulumi.CustomResourceOptions) {
    const resourceKey = createHash("sha256")
      .update(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`)
      .digest("hex")
      .slice(0, 8);
    const secret = <T>(value: pulumi.Input<T> | undefined) => (value === undefined ? undefined : pulumi.secret(value));
    super(
      oauthTokenIssuerProvider,
      name,
      {
        ...args,
        servers: pulumi.secret(args.servers),
        caPassword: secret(args.caPassword),
        pfx: secret(args.pfx),
        pfxPassword: secret(args.pfxPassword),
        privateKeyPem: secret(args.privateKeyPem),
        resourceKey,
        resourceName: name,
        ...Object.fromEntries(OAUTH_OUTPUT_NAMES.map((output) => [output, undefined])),
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: [...SECRET_INPUTS] }),
      "lync",
      "OAuthTokenIssuer",
    );
  }
}

/** Inputs stored encrypted: the engine re-marks the outputs of the same names secret. */
const SECRET_INPUTS = ["servers", "caPassword", "pfx", "pfxPassword", "privateKeyPem"] as const;
