import type { CommandDefinition } from "../powershell/command";
import { lyncHostOf } from "./lyncHostOf";

/**
 * Get-EmulatorAuditLog: every cmdlet this server ran, with its bound parameters (secrets already masked by
 * the server), as one JSON string (an array) so a test reads it with one JSON.parse. Emulator only.
 */
export const getEmulatorAuditLog: CommandDefinition = {
  name: "Get-EmulatorAuditLog",
  module: "Emulator",
  parameterSets: [{ name: "__AllParameterSets", isDefault: true, parameters: [] }],
  invoke(context) {
    context.output(JSON.stringify(lyncHostOf(context).emulator.auditLog()));
  },
};
