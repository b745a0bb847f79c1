import type { CommandDefinition } from "../powershell/command";
import { PSDateTime } from "../powershell/values";
import { cmdletError, lyncHostOf } from "./cmdletSupport";

const NAME = "Set-EmulatorTime";

/**
 * Set-EmulatorTime -Date <ISO 8601> | -AddDays <n>: moves this server's clock (certificates expire,
 * staged rolls take effect). Emulator only. -Date takes an ISO 8601 string or a DateTime (`(Get-Date).AddDays(3)`). Returns nothing (Get-Date shows the new time).
 */
export const setEmulatorTime: CommandDefinition = {
  name: NAME,
  module: "Emulator",
  parameterSets: [
    { name: "Date", isDefault: true, parameters: [{ name: "Date", type: "object", mandatory: true, position: 0 }] },
    { name: "AddDays", parameters: [{ name: "AddDays", type: "object", mandatory: true }] },
  ],
  invoke(context) {
    const host = lyncHostOf(context);
    if (context.parameterSetName === "AddDays") {
      const days = Number(context.parameters.AddDays);
      if (!Number.isFinite(days)) {
        throw cmdletError(
          NAME,
          `-AddDays "${String(context.parameters.AddDays)}" is not a number; pass e.g. -AddDays 30 or -AddDays -1.5.`,
          "InvalidAddDays",
          "InvalidArgument",
          { prefix: false },
        );
      }
      host.emulator.addDays(days);
    } else {
      const value = context.parameters.Date;
      const date = value instanceof PSDateTime ? value.date : value instanceof Date ? value : parseIso(String(value));
      if (date === undefined) {
        throw cmdletError(
          NAME,
          `-Date "${String(value)}" is not an ISO 8601 date; pass e.g. -Date 2026-11-26T10:00:00Z.`,
          "InvalidDate",
          "InvalidArgument",
          { prefix: false },
        );
      }
      host.emulator.setTime(date);
    }
  },
};

function parseIso(text: string): Date | undefined {
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed))
    return undefined;
  // A time without an offset is the server's local time, which is UTC on the emulated servers.
  const zoned = /T/.test(trimmed) && !/(?:Z|[+-]\d{2}:?\d{2})$/.test(trimmed) ? `${trimmed}Z` : trimmed;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
