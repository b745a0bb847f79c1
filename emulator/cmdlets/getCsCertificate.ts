import type { CommandDefinition } from "../powershell/command";
import { assignmentsIn, certificateReference } from "./certificateStore";
import { lyncHostOf, singleParameterSet, writeReport } from "./cmdletSupport";
import { certificateScope } from "./lyncRules";
import { certificateUsageParameters, certTypesOf } from "./parameters";

const NAME = "Get-CsCertificate";

/**
 * Get-CsCertificate [-Type <CertType[]>] [-NetportId <String>] [-Report <String>] [[-Identity] <XdsIdentity>]
 *
 * Lists assigned certificates only (never the whole store), one CertificateReference per usage, in CertType
 * order. Without -Identity a Front End shows its own usages plus the global ones replicated to it
 * (OAuthTokenIssuer); -Identity global shows only the global ones. A global row shows its thumbprint on
 * every server at once, its certificate's details only once replication has put it in this server's store.
 * A staged row shows the new certificate with EffectiveDate and the one in force until then as PreviousThumbprint
 * [guess: Windows may list the two differently before the date].
 */
export const getCsCertificate: CommandDefinition = {
  name: NAME,
  parameterSets: singleParameterSet(certificateUsageParameters()),
  invoke(context) {
    const host = lyncHostOf(context);
    const types = certTypesOf(context.parameters.Type, NAME);
    const scope = certificateScope(NAME, context.parameters.Identity, undefined, host.fqdn);
    const rows = assignmentsIn(host, scope === "global" ? ["global"] : ["local", "global"], types);
    const steps: string[] = [];
    for (const { assignment, scope: s } of rows) {
      const certificate = host.getCertificate(assignment.thumbprint);
      if (certificate === undefined) {
        // A global certificate reaches the other servers only when replication has deployed it [guess: text].
        const fix =
          s === "global"
            ? "The replication service has not deployed the global certificate to this server yet; try again later."
            : "Import it again or assign another certificate with Set-CsCertificate.";
        context.writeWarning(
          `The certificate with thumbprint ${assignment.thumbprint} assigned to ${assignment.type} was not found in ` +
            `Cert:\\LocalMachine\\My on ${host.fqdn}. ${fix}`,
        );
      }
      steps.push(`${assignment.type}: ${assignment.thumbprint}${certificate === undefined ? " (not in store)" : ""}`);
      context.output(certificateReference(assignment, certificate, s));
    }
    writeReport(host, context.parameters.Report, NAME, steps);
  },
};
