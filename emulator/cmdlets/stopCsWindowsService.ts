import type { CommandDefinition } from "../powershell/command";
import { lyncHostOf, writeReport } from "./cmdletSupport";
import { selectLyncServices, serviceParameterSets } from "./windowsServices";

const NAME = "Stop-CsWindowsService";

/**
 * Stop-CsWindowsService [[-Name] <String>] [-ComputerName <String>] [-Graceful] [-NoWait] [-Force]
 *   [-LeaveClsAgentRunning] [-LeaveWebServerRunning] | [-InputObject <NTService>] ...
 *
 * Records the stop on the server (services pick up a new Default certificate only after a restart). Without
 * -Name it stops every Lync service, except RTCCLSAGT with -LeaveClsAgentRunning and W3SVC with
 * -LeaveWebServerRunning. Returns nothing.
 */
export const stopCsWindowsService: CommandDefinition = {
  name: NAME,
  parameterSets: serviceParameterSets([
    { name: "Graceful", type: "switch" },
    { name: "LeaveClsAgentRunning", type: "switch" },
    { name: "LeaveWebServerRunning", type: "switch" },
  ]),
  invoke(context) {
    const host = lyncHostOf(context);
    const p = context.parameters;
    const all = p.Name === undefined && p.InputObject === undefined && context.input.length === 0;
    const services = selectLyncServices(NAME, context, host).filter(
      (s) =>
        !all ||
        !(
          (p.LeaveClsAgentRunning === true && s === "RTCCLSAGT") ||
          (p.LeaveWebServerRunning === true && s === "W3SVC")
        ),
    );
    if (context.common.whatIf) return;
    for (const service of services) {
      host.setServiceState(service, "Stopped");
      context.writeVerbose(`Stopped ${service} on ${host.fqdn}${p.Graceful === true ? " (graceful)" : ""}.`);
    }
    writeReport(
      host,
      p.Report,
      NAME,
      services.map((s) => `${s}: Stopped`),
    );
  },
};
