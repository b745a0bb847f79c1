import { CERT_TYPES } from "../lyncHost";
import { PowerShellError, type CommandDefinition } from "../powershell/command";
import { certificateScope } from "./certificateScope";
import { certTypeParameter } from "./certTypeParameter";
import { certTypesOf } from "./certTypesOf";
import { lyncHostOf } from "./lyncHostOf";
import { writeReport } from "./writeReport";

const NAME = "Remove-CsCertificate";

/**
 * Remove-CsCertificate [-Type <CertType[]>] [[-Identity] <XdsIdentity>] [-Previous] [-Force]
 *
 * Unassigns: the certificate stays in Cert:\LocalMachine\My. With -Previous only the previous certificate
 * of each usage is dropped. Without -Type every usage of the scope is concerned, as the help describes.
 *
 * Removing a certificate in use asks for confirmation unless -Force. Over SSH there is no one to answer,
 * so, as in any non-interactive Windows PowerShell host, the prompt itself fails and nothing is removed.
 */
export const removeCsCertificate: CommandDefinition = {
  name: NAME,
  parameterSets: [
    {
      name: "__AllParameterSets",
      isDefault: true,
      parameters: [
        certTypeParameter(),
        { name: "NetportId", type: "string" },
        { name: "Force", type: "switch" },
        { name: "Report", type: "string" },
        // The help says position 2; it is the only positional parameter.
        { name: "Identity", type: "string", position: 0 },
        { name: "Previous", type: "switch" },
      ],
    },
  ],
  invoke(context) {
    const host = lyncHostOf(context);
    const p = context.parameters;
    const types = certTypesOf(p.Type, NAME);
    const scope = certificateScope(NAME, p.Identity, types, host.fqdn);
    const previous = p.Previous === true;
    const targets = host
      .listAssignments(scope)
      .filter((a) => types === undefined || types.includes(a.type))
      .filter((a) => !previous || a.previousThumbprint !== undefined)
      .sort((a, b) => CERT_TYPES.indexOf(a.type) - CERT_TYPES.indexOf(b.type));
    if (targets.length === 0) return;

    // The previous certificate is no longer in use: only removing a current one asks first.
    if (!previous && p.Force !== true && !context.common.whatIf) {
      throw new PowerShellError(
        "Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.",
        "InvalidOperation,Microsoft.Rtc.Management.Deployment.Core.Certificates.RemoveCertificateCmdlet",
        "InvalidOperation",
      );
    }
    if (context.common.whatIf) return;

    const steps: string[] = [];
    for (const assignment of targets) {
      if (previous) {
        const { previousThumbprint, effectiveDate: _staged, ...rest } = assignment;
        host.putAssignment(scope, rest);
        steps.push(`${assignment.type}: removed previous certificate ${previousThumbprint}`);
      } else {
        host.removeAssignment(scope, assignment.type);
        steps.push(`${assignment.type}: unassigned ${assignment.thumbprint}`);
      }
    }
    for (const step of steps) context.writeVerbose(`${step}.`);
    writeReport(host, p.Report, NAME, steps);
  },
};
