// What Start-CsWindowsService and Stop-CsWindowsService share: their parameter sets and which services a call names.

import { LYNC_SERVICES_BY_ROLE, type LyncHost } from "../lyncHost";
import type { CommandContext, ParameterDefinition, ParameterSetDefinition } from "../powershell/command";
import { PSObject } from "../powershell/values";
import { cmdletError } from "./cmdletSupport";

/**
 * [[-Name] <String>] [-ComputerName <String>] | -InputObject <NTService>, each with -NoWait, -Force, -Report
 * and the cmdlet's own switches.
 */
export function serviceParameterSets(switches: readonly ParameterDefinition[] = []): ParameterSetDefinition[] {
  const shared: ParameterDefinition[] = [
    ...switches,
    { name: "NoWait", type: "switch" },
    { name: "Force", type: "switch" },
    { name: "Report", type: "string" },
  ];
  return [
    {
      name: "Name",
      isDefault: true,
      parameters: [{ name: "Name", type: "string", position: 0 }, { name: "ComputerName", type: "string" }, ...shared],
    },
    {
      name: "InputObject",
      parameters: [{ name: "InputObject", type: "object", valueFromPipeline: true }, ...shared],
    },
  ];
}

/**
 * The services a Start-/Stop-CsWindowsService call names: -Name (one service name, no wildcards), an NTService
 * from the pipeline or -InputObject (its Name), or every Lync service of the server when neither is given.
 * Only Lync services are accepted, and only on the local computer.
 */
export function selectLyncServices(cmdlet: string, context: CommandContext, host: LyncHost): string[] {
  const p = context.parameters;
  // The server's own service list is the truth (it records their states); the role list covers a server that has none.
  const recorded = Object.keys(host.serviceStates());
  const known = recorded.length > 0 ? recorded : LYNC_SERVICES_BY_ROLE[host.pool.role];
  if (typeof p.ComputerName === "string" && p.ComputerName.trim() !== "") {
    const computer = p.ComputerName.trim().toLowerCase();
    if (computer !== host.fqdn.toLowerCase() && computer !== host.fqdn.toLowerCase().split(".")[0]) {
      throw cmdletError(
        cmdlet,
        `Managing services of ${p.ComputerName} from ${host.fqdn} is not supported by the Lync emulator. Run the command on ${p.ComputerName} itself.`,
        "RemoteComputerNotSupportedByEmulator",
        "NotImplemented",
      );
    }
  }
  const inputObject = p.InputObject ?? context.input[0];
  const requested =
    typeof p.Name === "string"
      ? p.Name
      : inputObject instanceof PSObject
        ? String(inputObject.get("Name") ?? "")
        : inputObject === undefined || inputObject === null
          ? undefined
          : String(inputObject);
  if (requested === undefined) return [...known];
  const name = known.find((s) => s.toLowerCase() === requested.trim().toLowerCase());
  if (name === undefined) {
    throw cmdletError(
      cmdlet,
      `Service "${requested}" is not a Lync Server service on ${host.fqdn}. ${cmdlet} manages only ${known.join(", ")}.`,
      "ServiceNotFound",
      "ObjectNotFound",
      { targetObject: requested },
    );
  }
  return [name];
}
