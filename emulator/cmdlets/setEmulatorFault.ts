import type { Fault } from "../lyncHost";
import type { CommandDefinition, ParameterDefinition } from "../powershell/command";
import { cmdletError, lyncHostOf, singleParameterSet } from "./cmdletSupport";
import { wholeNumberParameter } from "./parameters";

const NAME = "Set-EmulatorFault";

/**
 * Set-EmulatorFault -Kind latency|drop|hang|ignoreSetCsCertificate [-Command <name>] [-When before|after]
 *   [-Milliseconds <n>] [-Times <n>]: adds a fault to this server. Emulator only.
 * latency needs -Milliseconds (and applies to every command unless -Command); drop and hang need -Command;
 * drop happens -When before (default) or after the command; -Times limits drop and ignoreSetCsCertificate.
 */
export const setEmulatorFault: CommandDefinition = {
  name: NAME,
  module: "Emulator",
  parameterSets: singleParameterSet([
    faultKindParameter({ mandatory: true }),
    { name: "Command", type: "string" },
    { name: "When", type: "string", enumValues: ["before", "after"], enumTypeName: "EmulatorFaultTiming" },
    { name: "Milliseconds", type: "int" },
    { name: "Times", type: "int" },
  ]),
  invoke(context) {
    const host = lyncHostOf(context);
    const p = context.parameters;
    const kind = String(p.Kind).toLowerCase();
    const command = typeof p.Command === "string" && p.Command.trim() !== "" ? p.Command.trim() : undefined;
    const times = p.Times === undefined ? undefined : positive("Times", p.Times);
    const needCommand = (): string => {
      if (command === undefined)
        throw invalid(`-Kind ${kind} needs -Command <cmdlet name>, e.g. -Command Set-CsCertificate.`);
      return command;
    };
    let fault: Fault;
    switch (kind) {
      case "latency":
        if (p.Milliseconds === undefined) throw invalid("-Kind latency needs -Milliseconds <n>.");
        fault = {
          kind: "latency",
          milliseconds: positive("Milliseconds", p.Milliseconds),
          ...(command ? { command } : {}),
        };
        break;
      case "drop": {
        const when = String(p.When ?? "before").toLowerCase();
        fault = {
          kind: "drop",
          command: needCommand(),
          when: when === "after" ? "after" : "before",
          ...(times ? { times } : {}),
        };
        break;
      }
      case "hang":
        fault = { kind: "hang", command: needCommand() };
        break;
      case "ignoresetcscertificate":
        fault = { kind: "ignoreSetCsCertificate", ...(times ? { times } : {}) };
        break;
      default:
        throw invalid(
          `-Kind "${String(p.Kind)}" is not a fault kind; use latency, drop, hang or ignoreSetCsCertificate.`,
        );
    }
    host.emulator.setFaults([...host.emulator.faults(), fault]);
  },
};

function invalid(message: string) {
  return cmdletError(NAME, message, "InvalidFault", "InvalidArgument", { prefix: false });
}

function positive(name: string, value: unknown): number {
  return wholeNumberParameter(NAME, "InvalidFault", name, value, 0);
}

/** -Kind, the fault kinds Set-EmulatorFault adds and Clear-EmulatorFault removes. */
export function faultKindParameter(options: { mandatory: boolean }): ParameterDefinition {
  return {
    name: "Kind",
    type: "string",
    position: 0,
    enumValues: ["latency", "drop", "hang", "ignoreSetCsCertificate"],
    enumTypeName: "EmulatorFaultKind",
    ...(options.mandatory ? { mandatory: true } : {}),
  };
}
