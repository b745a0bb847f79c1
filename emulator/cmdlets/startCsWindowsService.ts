import type { CommandDefinition, ParameterDefinition } from "../powershell/command";
import { lyncHostOf } from "./lyncHostOf";
import { selectLyncServices } from "./selectLyncServices";
import { writeReport } from "./writeReport";

const NAME = "Start-CsWindowsService";

const shared: ParameterDefinition[] = [
  { name: "NoWait", type: "switch" },
  { name: "Force", type: "switch" },
  { name: "Report", type: "string" },
];

/**
 * Start-CsWindowsService [[-Name] <String>] [-ComputerName <String>] [-NoWait] [-Force] | [-InputObject <NTService>] ...
 *
 * Records the start on the server; without -Name it starts every Lync service. Starting a running
 * service is not an error (the help says so). Returns nothing.
 */
export const startCsWindowsService: CommandDefinition = {
  name: NAME,
  parameterSets: [
    {
      name: "Name",
      isDefault: true,
      parameters: [{ name: "Name", type: "string", position: 0 }, { name: "ComputerName", type: "string" }, ...shared],
    },
    {
      name: "InputObject",
      parameters: [{ name: "InputObject", type: "object", valueFromPipeline: true }, ...shared],
    },
  ],
  invoke(context) {
    const host = lyncHostOf(context);
    const services = selectLyncServices(NAME, context, host);
    if (context.common.whatIf) return;
    for (const service of services) {
      host.setServiceState(service, "Running");
      context.writeVerbose(`Started ${service} on ${host.fqdn}.`);
    }
    writeReport(
      host,
      context.parameters.Report,
      NAME,
      services.map((s) => `${s}: Running`),
    );
  },
};
