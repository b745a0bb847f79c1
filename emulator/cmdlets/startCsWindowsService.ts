import type { LyncHost } from "../lyncHost";
import type { CommandDefinition } from "../powershell/command";
import { describeCertificate } from "../x509";
import { cmdletError, lyncHostOf, writeReport } from "./cmdletSupport";
import { selectLyncServices, serviceParameterSets } from "./windowsServices";

const NAME = "Start-CsWindowsService";

/**
 * Start-CsWindowsService [[-Name] <String>] [-ComputerName <String>] [-NoWait] [-Force] | [-InputObject <NTService>] ...
 *
 * Records the start on the server; without -Name it starts every Lync service. Starting a running
 * service is not an error (the help says so). Returns nothing.
 *
 * The Front End service (RTCSRV) needs a usable Default certificate: an expired one (or one missing from the
 * store) keeps it from starting, as on a real server; the other services start, then the cmdlet fails
 * [guess: Lync's exact text is unknown].
 */
export const startCsWindowsService: CommandDefinition = {
  name: NAME,
  parameterSets: serviceParameterSets(),
  invoke(context) {
    const host = lyncHostOf(context);
    const services = selectLyncServices(NAME, context, host);
    if (context.common.whatIf) return;
    const failures: string[] = [];
    const started: string[] = [];
    for (const service of services) {
      const reason = service.toUpperCase() === "RTCSRV" ? defaultCertificateProblem(host) : undefined;
      if (reason !== undefined) {
        failures.push(reason);
        continue;
      }
      host.setServiceState(service, "Running");
      started.push(service);
      context.writeVerbose(`Started ${service} on ${host.fqdn}.`);
    }
    writeReport(host, context.parameters.Report, NAME, [
      ...started.map((s) => `${s}: Running`),
      ...failures.map((f) => `RTCSRV: ${f}`),
    ]);
    if (failures.length > 0) {
      throw cmdletError(
        NAME,
        `Service RTCSRV failed to start on ${host.fqdn}: ${failures.join("; ")}. ` +
          "Assign a valid certificate with Set-CsCertificate -Type Default, then start the services again.",
        "ServiceStartFailed",
        "OpenError",
      );
    }
  },
};

/** Why RTCSRV cannot start with this server's Default certificate, if it cannot. */
function defaultCertificateProblem(host: LyncHost): string | undefined {
  const assignment = host.listAssignments("local").find((a) => a.type === "Default");
  if (assignment === undefined) return undefined;
  const certificate = host.getCertificate(assignment.thumbprint);
  if (certificate === undefined) {
    return `the Default certificate ${assignment.thumbprint} is not in Cert:\\LocalMachine\\My`;
  }
  const { notAfter, notBefore } = describeCertificate(certificate.certificatePem);
  const now = host.now();
  if (notAfter.getTime() < now.getTime()) {
    return `the Default certificate ${assignment.thumbprint} expired on ${notAfter.toISOString()}`;
  }
  if (notBefore.getTime() > now.getTime()) {
    return `the Default certificate ${assignment.thumbprint} is not valid before ${notBefore.toISOString()}`;
  }
  return undefined;
}
