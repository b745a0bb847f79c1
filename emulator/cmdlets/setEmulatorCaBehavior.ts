import type { CaBehavior } from "../lyncHost";
import type { CommandDefinition } from "../powershell/command";
import { cmdletError, lyncHostOf, singleParameterSet } from "./cmdletSupport";
import { wholeNumberParameter } from "./parameters";

const NAME = "Set-EmulatorCaBehavior";

/**
 * Set-EmulatorCaBehavior -Behavior issue|deny|pending|unreachable|slow [-ValidityDays <n>] [-DelayMilliseconds <n>]:
 * how the CA answers this server's requests. slow needs -DelayMilliseconds; -ValidityDays applies to issue
 * and slow (short validity for expiry tests). Emulator only.
 */
export const setEmulatorCaBehavior: CommandDefinition = {
  name: NAME,
  module: "Emulator",
  parameterSets: singleParameterSet([
    {
      name: "Behavior",
      type: "string",
      mandatory: true,
      position: 0,
      enumValues: ["issue", "deny", "pending", "unreachable", "slow"],
      enumTypeName: "EmulatorCaBehavior",
    },
    { name: "ValidityDays", type: "int" },
    { name: "DelayMilliseconds", type: "int" },
  ]),
  invoke(context) {
    const host = lyncHostOf(context);
    const p = context.parameters;
    const validity = p.ValidityDays === undefined ? undefined : whole("ValidityDays", p.ValidityDays, 1);
    const validityDays = validity === undefined ? {} : { validityDays: validity };
    let behavior: CaBehavior;
    switch (String(p.Behavior).toLowerCase()) {
      case "issue":
        behavior = { kind: "issue", ...validityDays };
        break;
      case "slow":
        if (p.DelayMilliseconds === undefined) throw invalid("-Behavior slow needs -DelayMilliseconds <n>.");
        behavior = { kind: "slow", delayMs: whole("DelayMilliseconds", p.DelayMilliseconds, 0), ...validityDays };
        break;
      case "deny":
        behavior = { kind: "deny" };
        break;
      case "pending":
        behavior = { kind: "pending" };
        break;
      case "unreachable":
        behavior = { kind: "unreachable" };
        break;
      default:
        throw invalid(
          `-Behavior "${String(p.Behavior)}" is not a CA behaviour; use issue, deny, pending, unreachable or slow.`,
        );
    }
    host.emulator.setCaBehavior(behavior);
  },
};

function invalid(message: string) {
  return cmdletError(NAME, message, "InvalidCaBehavior", "InvalidArgument", { prefix: false });
}

function whole(name: string, value: unknown, min: number): number {
  return wholeNumberParameter(NAME, "InvalidCaBehavior", name, value, min);
}
