import { emulatorLogCommand } from "./cmdletSupport";

/**
 * Get-EmulatorScriptBlockLog: the text of every script block this server compiled, as event 4104 records it (`{ time, text }`), as one JSON string (an array), raw on purpose: tests search it for secrets.
 * Emulator only; the server keeps the newest entries (LOG_LIMIT in lyncServer.ts).
 */
export const getEmulatorScriptBlockLog = emulatorLogCommand("Get-EmulatorScriptBlockLog", (emulator) =>
  emulator.scriptBlockLog(),
);
