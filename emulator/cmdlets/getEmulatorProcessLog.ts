import { emulatorLogCommand } from "./cmdletSupport";

/**
 * Get-EmulatorProcessLog: every process this server created, with its command line as event 4688 records it (`{ time, commandLine }`), as one JSON string (an array), raw on purpose: tests search it for secrets.
 * Emulator only; the server keeps the newest entries (LOG_LIMIT in lyncServer.ts).
 */
export const getEmulatorProcessLog = emulatorLogCommand("Get-EmulatorProcessLog", (emulator) => emulator.processLog());
