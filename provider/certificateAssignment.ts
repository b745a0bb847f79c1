// The resource a Pulumi program declares: which certificates, with which names, serve which
// Lync usages on one server.

import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { certificateAssignmentProvider } from "./certificateAssignmentProvider";
import type { CertificateSourceArgs } from "./certificateSourceArgs";
import { splitEntrySecrets } from "./secretInputs";

/**
 * How to reach the server: over SSH (the same shape and names as @pulumi/command's remote.ConnectionArgs), or over WinRM with transport "winrm" (the same names where they mean the same).
 */
export interface ConnectionArgs {
  /**
   * How the provider reaches the server's PowerShell: "ssh" (OpenSSH) or "winrm" (Windows Remote Management, WS-Management over HTTPS).
   *
   * privateKey, privateKeyPassword, hostKey and proxy are SSH-only; authentication, caCertificate, certificateFingerprint and insecure are WinRM-only.
   *
   * @default "ssh"
   */
  readonly transport?: pulumi.Input<"ssh" | "winrm">;
  /**
   * The address of the server to connect to.
   */
  readonly host: pulumi.Input<string>;
  /**
   * The port to connect to.
   *
   * @default - 22 over SSH, 5986 (WinRM's HTTPS listener) over WinRM
   */
  readonly port?: pulumi.Input<number>;
  /**
   * The user to log in as, e.g. "CONTOSO\\lyncadmin" or "lyncadmin"; it needs local administrator rights and, for online requests, enroll rights on the CA.
   *
   * Required over WinRM.
   *
   * @default "root"
   */
  readonly user?: pulumi.Input<string>;
  /**
   * The password to log in with.
   *
   * Required over WinRM.
   *
   * @default - no password; privateKey is used
   */
  readonly password?: pulumi.Input<string>;
  /**
   * The contents of an SSH private key to log in with (OpenSSH or PEM format); SSH only.
   *
   * @default - no key; password is used
   */
  readonly privateKey?: pulumi.Input<string>;
  /**
   * The password of privateKey, if it is encrypted; SSH only.
   *
   * @default - the key is not encrypted
   */
  readonly privateKeyPassword?: pulumi.Input<string>;
  /**
   * The server's SSH host key as an OpenSSH public key line, e.g. "ssh-ed25519 AAAA…"; SSH only.
   *
   * The connection is refused when the server presents another key. A line starting rsa-sha2-256 or rsa-sha2-512 is read as the ssh-rsa key it holds.
   *
   * @default - the key seen at create is recorded in the hostKey output and a later different key is refused
   */
  readonly hostKey?: pulumi.Input<string>;
  /**
   * How many times to try to connect before giving up; -1 tries forever.
   *
   * @default 10
   */
  readonly dialErrorLimit?: pulumi.Input<number>;
  /**
   * How many seconds each connection attempt may take.
   *
   * @default 15
   */
  readonly perDialTimeout?: pulumi.Input<number>;
  /**
   * A bastion host to reach the server through (SSH port forwarding).
   *
   * @default - connect directly
   */
  readonly proxy?: pulumi.Input<ProxyConnectionArgs>;
  /**
   * How to log in over WinRM: "ntlm" (NTLMv2; domain and local accounts) or "basic" (local accounts only); both over TLS only.
   *
   * Neither gives the session network credentials (the double hop): online requests need caAccount and caPassword.
   *
   * @default "ntlm"
   */
  readonly authentication?: pulumi.Input<"ntlm" | "basic">;
  /**
   * The PEM certificate of the CA that issued the WinRM listener's TLS certificate; the listener's certificate must chain to it and name host.
   *
   * @default - the certificate is trusted on first use (see certificateFingerprint)
   */
  readonly caCertificate?: pulumi.Input<string>;
  /**
   * The SHA-256 fingerprint of the WinRM listener's TLS certificate (64 hexadecimal digits, colons optional); another certificate is refused.
   *
   * @default - the fingerprint seen at create is recorded in the hostKey output ("tls-sha256 AB:CD:…") and a later different certificate is refused
   */
  readonly certificateFingerprint?: pulumi.Input<string>;
  /**
   * Accept the WinRM listener's TLS certificate without verifying it.
   *
   * The hostKey output then ends in "unverified". Credentials still travel inside TLS, but to whoever answers.
   *
   * @default false
   */
  readonly insecure?: pulumi.Input<boolean>;
}

/** A bastion host (SSH only): the same fields as an SSH connection, without a further proxy. */
export type ProxyConnectionArgs = Omit<ConnectionArgs, "proxy" | "transport" | WinrmOnlyField>;

type WinrmOnlyField = "authentication" | "caCertificate" | "certificateFingerprint" | "insecure";

/** One certificate and the usages it serves; one entry with several usages is a combined certificate. */
export interface CertificateArgs extends CertificateSourceArgs {
  /**
   * The Lync usages (CertType names) this certificate serves, e.g. ["Default", "WebServicesInternal", "WebServicesExternal"].
   *
   * Matched case-insensitively and stored in Lync's spelling. A usage appears in at most one entry.
   */
  readonly usages: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * DNS names the certificate must carry as Subject Alternative Names.
   *
   * Lync's Request-CsCertificate adds the names it computes from the topology; these are checked on every run. On an Edge Server the names its topology requires are added and checked too (the Access Edge FQDN and sip.<domain> for every SIP domain, the Web Conferencing Edge FQDN, xmpp.<domain> for XmppServer, the internal pool FQDN as the Internal certificate's subject). A `*.<domain>` wildcard is allowed on Default and web services certificates only, and on an XmppServer certificate. A name listed twice counts once (names compare case-insensitively and without a trailing dot; the first spelling is kept).
   */
  readonly subjectAlternativeNames: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * A host name the certificate must carry as its subject.
   *
   * Request-CsCertificate computes the subject itself (the pool FQDN), so a certificate that carries this name as an alternative name also satisfies it.
   *
   * @default - any subject
   */
  readonly subject?: pulumi.Input<string>;
  /**
   * The friendly name of certificates this resource requests or imports.
   *
   * The provider appends a marker, e.g. "Web (pulumi-lync 1a2b3c4d #0 20261126T081500)", so a retry finds a certificate it already obtained.
   *
   * @default "pulumi-lync <resource key> #<entry> <time>"
   */
  readonly friendlyName?: pulumi.Input<string>;
  /**
   * The RSA key size of requested certificates, and the minimum accepted for any certificate.
   *
   * @default 2048
   */
  readonly keySize?: pulumi.Input<number>;
  /**
   * Allow a 1024-bit key size.
   *
   * @default false
   */
  readonly allowWeakKeySize?: pulumi.Input<boolean>;
  /**
   * Request offline: the server makes a key and a CSR, which becomes the entry's csr output for a public CA.
   *
   * Once issuedCertificatePem is set, the issued certificate is imported and assigned.
   *
   * @default false
   */
  readonly offline?: pulumi.Input<boolean>;
  /**
   * The CA's answer to the offline request, as PEM.
   *
   * @default - not issued yet
   */
  readonly issuedCertificatePem?: pulumi.Input<string>;
  /**
   * How a new certificate takes over: staged with Set-CsCertificate -Roll -EffectiveDate, so the old one keeps serving until then.
   *
   * Only AudioVideoAuthentication benefits (A/V tokens signed with the old certificate live 8 hours); the entry's other usages switch at once. A new certificate takes over at once when nothing valid is in force.
   *
   * @default - AudioVideoAuthentication rolls with leadTime "8h"; other usages switch at once
   */
  readonly roll?: pulumi.Input<RollArgs>;
}

/** A staged roll: when a new certificate takes over from the one in force. */
export interface RollArgs {
  /**
   * How long after it is staged the new certificate becomes current, e.g. "8h", "24h", "1d12h", "90m".
   *
   * Never less than the usage's minimum: 8 hours for AudioVideoAuthentication; for OAuthTokenIssuer, the replication delay.
   *
   * @default - "8h" for AudioVideoAuthentication, "24h" for OAuthTokenIssuer
   */
  readonly leadTime?: pulumi.Input<string>;
}

/** A SIP domain of the deployment. */
export interface SipDomainArgs {
  /**
   * The SIP domain, e.g. "contoso.com".
   */
  readonly name: pulumi.Input<string>;
  /**
   * Add the mobility (Autodiscover) names for this domain: lyncdiscoverinternal.<domain> to the certificate for WebServicesInternal and lyncdiscover.<domain> to the one for WebServicesExternal.
   *
   * @default false
   */
  readonly mobility?: pulumi.Input<boolean>;
}

/** The inputs of a CertificateAssignment. */
export interface CertificateAssignmentArgs {
  /**
   * How to reach the Lync server: over SSH, or over WinRM with transport "winrm".
   *
   * The whole connection is stored as a secret.
   */
  readonly connection: pulumi.Input<ConnectionArgs>;
  /**
   * The certificates the server must hold, each with the usages it serves.
   */
  readonly certificates: pulumi.Input<pulumi.Input<CertificateArgs>[]>;
  /**
   * The deployment's SIP domains; those with mobility add Autodiscover names.
   *
   * @default - none
   */
  readonly sipDomains?: pulumi.Input<pulumi.Input<SipDomainArgs>[]>;
  /**
   * Renew a certificate this many days before it expires.
   *
   * Never earlier than one third of the certificate's lifetime after its start (NotBefore): a window longer than two thirds of the lifetime (a CA that issues certificates shorter than this, or backdates them) renews at one third instead, so no certificate is due as soon as it is issued.
   *
   * @default - at two thirds of the certificate's lifetime
   */
  readonly renewBeforeDays?: pulumi.Input<number>;
  /**
   * Renew a certificate when this percentage of its lifetime is left.
   *
   * Never earlier than one third of the lifetime after its start (NotBefore): above 66.67 it renews at one third.
   *
   * @default - at two thirds of the certificate's lifetime
   */
  readonly renewBeforePercentage?: pulumi.Input<number>;
  /**
   * The PowerShell module holding the Cs cmdlets: "Lync" on Lync Server 2013, "SkypeForBusiness" on Skype for Business Server.
   *
   * A server has one of the two; one it lacks is refused with the module it has.
   *
   * @default - the module the server has
   */
  readonly managementModule?: pulumi.Input<"Lync" | "SkypeForBusiness">;
  /**
   * What destroy does: "retain" leaves the certificates assigned, "unassign" runs Remove-CsCertificate for each usage.
   *
   * Unassigning a live server's certificates stops its services. A usage that holds another certificate than the one this resource recorded (given since by another resource or an administrator) is left assigned.
   *
   * @default "retain"
   */
  readonly deletionPolicy?: pulumi.Input<"retain" | "unassign">;
}

/** What the server holds for one entry of `certificates`. */
export interface CertificateOutput {
  /**
   * The usages of the entry, in Lync's spelling.
   */
  readonly usages: string[];
  /**
   * The names the entry asked for.
   */
  readonly subjectAlternativeNames: string[];
  /**
   * The thumbprint of the certificate the entry's first usage holds (40 upper-case hex characters).
   */
  readonly thumbprint?: string;
  /**
   * The certificate's subject, as Windows shows it, e.g. "CN=pool01.contoso.com".
   */
  readonly subject?: string;
  /**
   * The certificate's issuer, as Windows shows it.
   */
  readonly issuer?: string;
  /**
   * The certificate's serial number in upper-case hex.
   */
  readonly serialNumber?: string;
  /**
   * The start of the certificate's validity (ISO 8601).
   */
  readonly notBefore?: string;
  /**
   * The end of the certificate's validity (ISO 8601).
   */
  readonly notAfter?: string;
  /**
   * Every DNS name the certificate carries.
   */
  readonly alternativeNames?: string[];
  /**
   * When the certificate is due for renewal (ISO 8601).
   */
  readonly renewalTime?: string;
  /**
   * Lync's previous certificate per usage: what a rollback returns to.
   */
  readonly previousThumbprints: Record<string, string>;
  /**
   * The offline request's CSR (PEM), to give to the CA.
   */
  readonly csr?: string;
  /**
   * The certificate a staged roll will make current, while it waits (then thumbprint is the same and previousThumbprints holds the one serving).
   */
  readonly stagedThumbprint?: string;
  /**
   * When stagedThumbprint becomes current (ISO 8601, the server's clock).
   */
  readonly effectiveDate?: string;
}

/**
 * The certificates of one Lync Server 2013 / Skype for Business Server: which certificate, with
 * which names, serves which usage. Compared with the live `Get-CsCertificate` on every preview.
 */
export class CertificateAssignment extends pulumi.dynamic.Resource {
  /** What the server holds for each entry of `certificates`. */
  declare public readonly certificates: pulumi.Output<CertificateOutput[]>;
  /**
   * The identity the server presented: over SSH its host key (OpenSSH public key line); over WinRM
   * the SHA-256 fingerprint of its TLS certificate ("tls-sha256 AB:CD:…", then "unverified" under insecure).
   */
  declare public readonly hostKey: pulumi.Output<string>;
  /**
   * The SSH host key the bastion (connection.proxy) presented, when there is one: recorded at create
   * and required afterwards unless connection.proxy.hostKey pins it.
   */
  declare public readonly proxyHostKey: pulumi.Output<string | undefined>;
  /** The server's FQDN as it reports it. */
  declare public readonly server: pulumi.Output<string>;
  declare public readonly connection: pulumi.Output<ConnectionArgs>;
  declare public readonly sipDomains: pulumi.Output<{ name: string; mobility?: boolean }[] | undefined>;

  constructor(name: string, args: CertificateAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    const resourceKey = createHash("sha256")
      .update(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`)
      .digest("hex")
      .slice(0, 8);
    // The secret fields of each entry travel in their own input, secret as a whole, so that
    // `certificates` holds no secret and its outputs (thumbprints, dates) stay readable: the engine
    // marks an output secret when the input of the same name holds a secret anywhere inside it.
    const split = (entry: pulumi.Unwrap<CertificateArgs> | CertificateArgs) => splitEntrySecrets(entry);
    let certificates: pulumi.Input<unknown>;
    let certificateSecrets: pulumi.Input<unknown>;
    if (Array.isArray(args.certificates)) {
      const entries = args.certificates as pulumi.Input<CertificateArgs>[];
      certificates = entries.map((entry) =>
        pulumi.Output.isInstance(entry)
          ? entry.apply((e) => split(e).publicPart)
          : split(entry as CertificateArgs).publicPart,
      );
      certificateSecrets = entries.map((entry) =>
        pulumi.Output.isInstance(entry)
          ? entry.apply((e) => split(e).secretPart)
          : split(entry as CertificateArgs).secretPart,
      );
    } else {
      const all = pulumi.output(args.certificates);
      certificates = all.apply((list) => list.map((e) => split(e).publicPart));
      certificateSecrets = all.apply((list) => list.map((e) => split(e).secretPart));
    }
    super(
      certificateAssignmentProvider,
      name,
      {
        ...args,
        connection: pulumi.secret(args.connection),
        certificates,
        certificateSecrets: pulumi.secret(certificateSecrets),
        resourceKey,
        resourceName: name,
        hostKey: undefined,
        proxyHostKey: undefined,
        server: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["connection", "certificateSecrets"] }),
      "lync",
      "CertificateAssignment",
    );
  }
}
