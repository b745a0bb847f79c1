import { emulatorLogCommand } from "./cmdletSupport";

/**
 * Get-EmulatorAuditLog: every cmdlet this server ran, with its bound parameters (secrets already masked by
 * the server), as one JSON string (an array) so a test reads it with one JSON.parse. Emulator only.
 */
export const getEmulatorAuditLog = emulatorLogCommand("Get-EmulatorAuditLog", (emulator) => emulator.auditLog());
