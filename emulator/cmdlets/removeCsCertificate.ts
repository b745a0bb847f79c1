import { PowerShellError, type CommandDefinition } from "../powershell/command";
import { assignmentsIn } from "./certificateStore";
import { cmdletError, lyncHostOf, singleParameterSet, writeReport } from "./cmdletSupport";
import { certificateScope, isStaged, scopeOfType } from "./lyncRules";
import { certificateUsageParameters, certTypesOf } from "./parameters";

const NAME = "Remove-CsCertificate";

/**
 * Remove-CsCertificate [-Type <CertType[]>] [[-Identity] <XdsIdentity>] [-Previous] [-Force]
 *
 * Unassigns: the certificate stays in Cert:\LocalMachine\My. With -Previous only the previous certificate
 * of each usage is dropped, once no staged certificate still depends on it. Without -Type every usage of
 * the scope is concerned, as the help describes; -Type OAuthTokenIssuer reaches the global one without
 * -Identity global, as Microsoft's staging page runs it.
 *
 * Removing a certificate in use asks for confirmation unless -Force. Over SSH there is no one to answer,
 * so, as in any non-interactive Windows PowerShell host, the prompt itself fails and nothing is removed.
 */
export const removeCsCertificate: CommandDefinition = {
  name: NAME,
  parameterSets: singleParameterSet([
    ...certificateUsageParameters(),
    { name: "Force", type: "switch" },
    { name: "Previous", type: "switch" },
  ]),
  invoke(context) {
    const host = lyncHostOf(context);
    const p = context.parameters;
    const types = certTypesOf(p.Type, NAME);
    const scope = certificateScope(NAME, p.Identity, types, host.fqdn);
    const previous = p.Previous === true;
    const now = host.now();
    // Without -Type only the scope's own usages; a named global type is found without -Identity global too.
    const scopes = types === undefined ? [scope] : [...new Set(types.map((t) => scopeOfType(scope, t)))];
    const targets = assignmentsIn(host, scopes, types).filter(
      ({ assignment }) => !previous || assignment.previousThumbprint !== undefined,
    );
    if (targets.length === 0) return;

    // Before the effective date the previous certificate is the one in force: dropping it would leave the
    // usage without a certificate until the staged one takes over [guess: Lync's text unknown].
    const inForce = previous ? targets.find(({ assignment }) => isStaged(assignment, now)) : undefined;
    if (inForce !== undefined) {
      const { type, previousThumbprint, thumbprint, effectiveDate } = inForce.assignment;
      throw cmdletError(
        NAME,
        `The previous ${type} certificate ${previousThumbprint} on ${host.fqdn} is in use until the staged certificate ` +
          `${thumbprint} takes over at ${effectiveDate}. Run Remove-CsCertificate -Type ${type} -Previous after that time.`,
        "PreviousCertificateInUse",
        "InvalidOperation",
      );
    }

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
    for (const { assignment, scope: s } of targets) {
      if (previous) {
        const { previousThumbprint, effectiveDate: _staged, ...rest } = assignment;
        host.putAssignment(s, rest);
        steps.push(`${assignment.type}: removed previous certificate ${previousThumbprint}`);
      } else {
        host.removeAssignment(s, assignment.type);
        steps.push(`${assignment.type}: unassigned ${assignment.thumbprint}`);
      }
    }
    for (const step of steps) context.writeVerbose(`${step}.`);
    writeReport(host, p.Report, NAME, steps);
  },
};
