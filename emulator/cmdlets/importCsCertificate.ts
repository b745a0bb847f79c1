import { createPrivateKey, X509Certificate } from "node:crypto";
import type { LyncHost, PendingRequest } from "../lyncHost";
import type { CommandDefinition, ParameterDefinition } from "../powershell/command";
import { thumbprintOf } from "../x509";
import { certificateFileAt } from "./certificateFiles";
import { assignCertificate } from "./certificateStore";
import { cmdletError, lyncHostOf, writeReport } from "./cmdletSupport";
import { certificateScope, checkGlobalCertificate } from "./lyncRules";
import { certTypeParameter, certTypesOf, ROLL_PARAMETERS, rollOptions } from "./parameters";

const NAME = "Import-CsCertificate";

const shared: ParameterDefinition[] = [
  { name: "Path", type: "string", mandatory: true },
  { name: "Password", type: "string" },
  ...ROLL_PARAMETERS,
  { name: "Force", type: "switch" },
  { name: "Report", type: "string" },
];

/**
 * Import-CsCertificate: makes a certificate available for assignment. Returns nothing.
 *
 * Local: the CA's answer to an offline request (.cer/.crt/.p7b, PEM or DER) joins its key waiting in
 * Cert:\LocalMachine\REQUEST and lands in My with it; a PFX brings its own key; any other certificate lands
 * in My without a key (Set-CsCertificate will refuse it). CMS (-Identity global -Type): imports a PFX and
 * assigns it at the global scope, as done once for OAuthTokenIssuer; replication deploys it to the other
 * Front Ends. -Roll -EffectiveDate stages that global assignment. A local import has no usage to stage:
 * there -Roll -EffectiveDate are checked and the certificate only lands in the store [guess].
 */
export const importCsCertificate: CommandDefinition = {
  name: NAME,
  parameterSets: [
    {
      name: "Local",
      isDefault: true,
      parameters: [...shared, { name: "PrivateKeyExportable", type: "bool" }],
    },
    {
      name: "CMS",
      parameters: [
        // The help gives position 2; it is the only positional parameter.
        { name: "Identity", type: "string", mandatory: true, position: 0 },
        certTypeParameter({ mandatory: true }),
        ...shared,
      ],
    },
  ],
  invoke(context) {
    const host = lyncHostOf(context);
    const p = context.parameters;
    const roll = rollOptions(NAME, p);
    const global = context.parameterSetName === "CMS";
    const types = certTypesOf(p.Type, NAME);
    const scope = global ? certificateScope(NAME, p.Identity, types, host.fqdn) : "local";
    const path = String(p.Path);
    const file = certificateFileAt(NAME, host, path, p.Password);

    const thumbprint = thumbprintOf(file.certificatePem);
    const request = file.privateKeyPem === undefined ? matchingRequest(host, file.certificatePem) : undefined;
    const privateKeyPem = file.privateKeyPem ?? request?.privateKeyPem;
    if (global && privateKeyPem === undefined) {
      throw cmdletError(
        NAME,
        `The file '${path}' holds no private key. A global certificate must be imported from a PFX file with its private key.`,
        "CertificateWithoutPrivateKey",
        "InvalidData",
      );
    }
    if (global)
      checkGlobalCertificate(
        NAME,
        host,
        { thumbprint, certificatePem: file.certificatePem, privateKeyExportable: true },
        "pfx",
      );
    if (context.common.whatIf) return;

    const existing = host.getCertificate(thumbprint);
    host.putCertificate({
      thumbprint,
      certificatePem: file.certificatePem,
      ...(privateKeyPem === undefined ? {} : { privateKeyPem }),
      friendlyName: request?.friendlyName ?? file.friendlyName ?? existing?.friendlyName ?? "",
      privateKeyExportable: p.PrivateKeyExportable === true,
    });
    if (request !== undefined) host.removePendingRequest(request.thumbprint);
    if (global) assignCertificate(host, scope, types ?? [], thumbprint, roll);

    const steps = [
      `Imported ${thumbprint} into Cert:\\LocalMachine\\My${privateKeyPem === undefined ? " without a private key" : ""}`,
      ...(request ? [`Completed the pending request written to ${request.outputPath}`] : []),
      ...(global ? [`Assigned ${thumbprint} to ${(types ?? []).join(", ")} at the global scope`] : []),
    ];
    for (const step of steps) context.writeVerbose(`${step}.`);
    writeReport(host, p.Report, NAME, steps);
  },
};

/** The pending request whose key belongs to this certificate (what certreq -accept matches on). */
function matchingRequest(host: LyncHost, certificatePem: string): PendingRequest | undefined {
  const certificate = new X509Certificate(certificatePem);
  return host.listPendingRequests().find((request) => {
    try {
      return certificate.checkPrivateKey(createPrivateKey(request.privateKeyPem));
    } catch {
      return false;
    }
  });
}
