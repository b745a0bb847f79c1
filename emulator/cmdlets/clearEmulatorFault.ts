import type { CommandDefinition } from "../powershell/command";
import { lyncHostOf } from "./lyncHostOf";

/** Clear-EmulatorFault [-Kind <kind>]: removes this server's faults (all, or those of one kind). Emulator only. */
export const clearEmulatorFault: CommandDefinition = {
  name: "Clear-EmulatorFault",
  module: "Emulator",
  parameterSets: [
    {
      name: "__AllParameterSets",
      isDefault: true,
      parameters: [
        {
          name: "Kind",
          type: "string",
          position: 0,
          enumValues: ["latency", "drop", "hang", "ignoreSetCsCertificate"],
          enumTypeName: "EmulatorFaultKind",
        },
      ],
    },
  ],
  invoke(context) {
    const host = lyncHostOf(context);
    const kind = context.parameters.Kind;
    const keep =
      typeof kind === "string" ? host.emulator.faults().filter((f) => f.kind.toLowerCase() !== kind.toLowerCase()) : [];
    host.emulator.setFaults(keep);
  },
};
