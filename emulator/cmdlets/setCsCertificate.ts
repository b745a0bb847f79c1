import type { CertType, LyncHost, StoredCertificate } from "../lyncHost";
import type { CommandDefinition, ParameterDefinition } from "../powershell/command";
import { PSObject } from "../powershell/values";
import { thumbprintOf } from "../x509";
import { certificateFileAt } from "./certificateFiles";
import { assignCertificate } from "./certificateStore";
import { cmdletError, lyncHostOf, writeReport } from "./cmdletSupport";
import { certificateScope, checkGlobalCertificate, checkUsagesForRole, scopeOfType } from "./lyncRules";
import { certTypeParameter, certTypesOf, ROLL_PARAMETERS, rollOptions } from "./parameters";

const NAME = "Set-CsCertificate";

const shared: ParameterDefinition[] = [
  { name: "Force", type: "switch" },
  { name: "Report", type: "string" },
  ...ROLL_PARAMETERS,
];

/** What the Thumbprint and CertificateReference sets take besides the certificate itself. */
const usages: ParameterDefinition[] = [
  certTypeParameter(),
  { name: "Identity", type: "string" },
  { name: "NetportId", type: "string" },
  ...shared,
];

/**
 * Set-CsCertificate: assigns a certificate of Cert:\LocalMachine\My to usages, by -Thumbprint, by -Reference
 * (a CertificateReference, also from the pipeline) or from a PFX file (-Identity -Path -Type [-Password]).
 * Returns nothing. The usage's old certificate becomes its previous one. A global type (OAuthTokenIssuer)
 * goes to the Central Management store with or without -Identity global, and its certificate must have a
 * 2048-bit key that replication can export.
 *
 * -Type has no default in the help; a real server will not guess, so a call without it (and without a
 * reference carrying Use) fails rather than silently assigning Default.
 */
export const setCsCertificate: CommandDefinition = {
  name: NAME,
  parameterSets: [
    {
      name: "Thumbprint",
      isDefault: true,
      parameters: [{ name: "Thumbprint", type: "string", mandatory: true }, ...usages],
    },
    {
      name: "CertificateReference",
      parameters: [{ name: "Reference", type: "object", mandatory: true, valueFromPipeline: true }, ...usages],
    },
    {
      name: "Path",
      parameters: [
        { name: "Identity", type: "string", mandatory: true },
        { name: "Path", type: "string", mandatory: true },
        certTypeParameter({ mandatory: true }),
        { name: "Password", type: "string" },
        ...shared,
      ],
    },
  ],
  invoke(context) {
    const host = lyncHostOf(context);
    const p = context.parameters;
    const roll = rollOptions(NAME, p);
    let types = certTypesOf(p.Type, NAME);
    let thumbprint: string;
    let pfx: StoredCertificate | undefined;

    if (context.parameterSetName === "Path") {
      pfx = pfxCertificate(host, p.Path, p.Password);
      thumbprint = pfx.thumbprint;
    } else if (context.parameterSetName === "CertificateReference") {
      const reference = p.Reference ?? context.input[0];
      const fromReference = referenceFields(reference);
      if (fromReference.thumbprint === "") {
        throw cmdletError(
          NAME,
          "The Reference parameter does not name a certificate: pass an object from Get-CsCertificate or Request-CsCertificate (it needs a Thumbprint).",
          "InvalidReference",
          "InvalidArgument",
          { targetObject: reference },
        );
      }
      thumbprint = fromReference.thumbprint;
      types ??= fromReference.use === undefined ? undefined : [fromReference.use];
    } else {
      thumbprint = normalizeThumbprint(p.Thumbprint);
    }

    if (types === undefined || types.length === 0) {
      throw cmdletError(
        NAME,
        `No certificate usage was given for thumbprint "${thumbprint}" on ${host.fqdn}. ` +
          "Add -Type, for example -Type Default,WebServicesInternal,WebServicesExternal.",
        "TypeRequired",
        "InvalidArgument",
      );
    }
    const scope = certificateScope(NAME, p.Identity, types, host.fqdn);
    const localTypes = types.filter((t) => scopeOfType(scope, t) === "local");
    checkUsagesForRole(NAME, localTypes, host.pool, host.fqdn);
    const certificate = pfx ?? assignableCertificate(NAME, host, thumbprint);
    if (localTypes.length < types.length) checkGlobalCertificate(NAME, host, certificate, pfx ? "pfx" : "store");

    if (context.common.whatIf) return;
    // Fault injection: the cmdlet reports success and changes nothing (the provider must verify).
    if (host.emulator.consumeIgnoreSetCsCertificate()) return;

    if (pfx !== undefined) host.putCertificate(pfx);
    assignCertificate(host, scope, types, thumbprint, roll);
    if (context.common.verbose) {
      context.writeVerbose(`Assigned certificate ${thumbprint} to ${types.join(", ")} on ${host.fqdn}.`);
    }
    writeReport(host, p.Report, NAME, [
      ...types.map((t) => `${t}: ${thumbprint}`),
      ...(roll.effectiveDate ? [`Effective ${roll.effectiveDate.toISOString()}`] : []),
    ]);
  },
};

/** The certificate of the PFX file -Path names, as it will land in Cert:\LocalMachine\My. */
function pfxCertificate(host: LyncHost, path: unknown, password: unknown): StoredCertificate {
  const file = certificateFileAt(NAME, host, path, password);
  const { certificatePem, privateKeyPem } = file;
  if (privateKeyPem === undefined) {
    throw cmdletError(
      NAME,
      `The file '${String(path)}' holds no private key. Set-CsCertificate -Path takes a PFX file with the certificate's private key.`,
      "CertificateWithoutPrivateKey",
      "InvalidData",
    );
  }
  const thumbprint = thumbprintOf(certificatePem);
  return {
    thumbprint,
    certificatePem,
    privateKeyPem,
    friendlyName: file.friendlyName ?? host.getCertificate(thumbprint)?.friendlyName ?? "",
    privateKeyExportable: false,
  };
}

/** Thumbprint and Use of a CertificateReference (or any object that carries them). */
function referenceFields(reference: unknown): { thumbprint: string; use?: CertType } {
  const get = (name: string): unknown => {
    if (reference instanceof PSObject) return reference.get(name);
    if (reference !== null && typeof reference === "object") {
      const key = Object.keys(reference).find((k) => k.toLowerCase() === name.toLowerCase());
      return key === undefined ? undefined : (reference as Record<string, unknown>)[key];
    }
    return undefined;
  };
  const use = get("Use");
  const useTypes = use === undefined || use === null ? undefined : certTypesOf(use, NAME);
  return { thumbprint: normalizeThumbprint(get("Thumbprint")), use: useTypes?.[0] };
}

/** Thumbprints as Windows compares them: hex only, case-insensitive (copied ones often carry spaces or a hidden U+200E). */
export function normalizeThumbprint(value: unknown): string {
  return String(value ?? "")
    .replace(/[^0-9a-fA-F]/g, "")
    .toUpperCase();
}

/**
 * The certificate a thumbprint names, if Lync could use it: it must be in Cert:\LocalMachine\My and
 * hold its private key (a certificate imported without its key cannot serve TLS).
 */
function assignableCertificate(cmdlet: string, host: LyncHost, thumbprint: string): StoredCertificate {
  const certificate = host.getCertificate(thumbprint);
  if (certificate === undefined) {
    throw cmdletError(
      cmdlet,
      `Certificate with thumbprint "${thumbprint}" is not found in certificate store Cert:\\LocalMachine\\My on ${host.fqdn}. ` +
        "Import it first (Import-CsCertificate) or check the thumbprint with Get-ChildItem Cert:\\LocalMachine\\My.",
      "CertificateNotFound",
      "ObjectNotFound",
      { targetObject: thumbprint },
    );
  }
  if (certificate.privateKeyPem === undefined) {
    throw cmdletError(
      cmdlet,
      `Certificate with thumbprint "${thumbprint}" on ${host.fqdn} has no private key. ` +
        "Import the certificate with its private key (a PFX file, or the response to this server's own request).",
      "CertificateWithoutPrivateKey",
      "InvalidData",
      { targetObject: thumbprint },
    );
  }
  return certificate;
}
