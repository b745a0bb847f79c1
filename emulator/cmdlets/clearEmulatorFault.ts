import type { CommandDefinition } from "../powershell/command";
import { lyncHostOf, singleParameterSet } from "./cmdletSupport";
import { faultKindParameter } from "./setEmulatorFault";

/** Clear-EmulatorFault [-Kind <kind>]: removes this server's faults (all, or those of one kind). Emulator only. */
export const clearEmulatorFault: CommandDefinition = {
  name: "Clear-EmulatorFault",
  module: "Emulator",
  parameterSets: singleParameterSet([faultKindParameter({ mandatory: false })]),
  invoke(context) {
    const host = lyncHostOf(context);
    const kind = context.parameters.Kind;
    const keep =
      typeof kind === "string" ? host.emulator.faults().filter((f) => f.kind.toLowerCase() !== kind.toLowerCase()) : [];
    host.emulator.setFaults(keep);
  },
};
