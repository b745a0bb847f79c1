// The commands an emulated Lync server adds to its runspace.
//
// Lync's Cs cmdlets belong to the server's management module: `Lync` on Lync Server 2013,
// `SkypeForBusiness` on Skype for Business Server (the pool's version in the topology).

import type { CommandDefinition } from "../powershell/command";
import type { ManagementModule } from "../lyncHost";
import { clearEmulatorFault } from "./clearEmulatorFault";
import { getChildItem } from "./getChildItem";
import { getCsCertificate } from "./getCsCertificate";
import { getCsSipDomain } from "./getCsSipDomain";
import { getEmulatorAuditLog } from "./getEmulatorAuditLog";
import { getEmulatorProcessLog } from "./getEmulatorProcessLog";
import { getEmulatorScriptBlockLog } from "./getEmulatorScriptBlockLog";
import { getItem } from "./getItem";
import { testPath } from "./testPath";
import { importCsCertificate } from "./importCsCertificate";
import { removeCsCertificate } from "./removeCsCertificate";
import { requestCsCertificate } from "./requestCsCertificate";
import { setCsCertificate } from "./setCsCertificate";
import { setEmulatorCaBehavior } from "./setEmulatorCaBehavior";
import { setEmulatorFault } from "./setEmulatorFault";
import { setEmulatorTime } from "./setEmulatorTime";
import { startCsWindowsService } from "./startCsWindowsService";
import { stopCsWindowsService } from "./stopCsWindowsService";

const csCmdlets: readonly CommandDefinition[] = [
  getCsCertificate,
  setCsCertificate,
  requestCsCertificate,
  importCsCertificate,
  removeCsCertificate,
  getCsSipDomain,
  stopCsWindowsService,
  startCsWindowsService,
];

/** The Cs cmdlets as one management module exports them. */
function csCmdletsIn(module: ManagementModule): CommandDefinition[] {
  return csCmdlets.map((command) => ({ ...command, module }));
}

/** The Cs cmdlets, each twice: module "Lync" and module "SkypeForBusiness". */
export const lyncCommands: CommandDefinition[] = [...csCmdletsIn("Lync"), ...csCmdletsIn("SkypeForBusiness")];

/**
 * Set-EmulatorTime, Get-EmulatorAuditLog/ProcessLog/ScriptBlockLog, Set-/Clear-EmulatorFault, Set-EmulatorCaBehavior:
 * module "Emulator", loaded in every runspace so tests and the demo need no Import-Module.
 */
export const emulatorCommands: CommandDefinition[] = [
  setEmulatorTime,
  getEmulatorAuditLog,
  getEmulatorProcessLog,
  getEmulatorScriptBlockLog,
  setEmulatorFault,
  clearEmulatorFault,
  setEmulatorCaBehavior,
].map((command) => ({ ...command, moduleAlwaysLoaded: true }));

/** Get-ChildItem, Get-Item and Test-Path with the Cert: drive (module undefined: visible without any import). */
export const certificateDriveCommands: CommandDefinition[] = [getChildItem, getItem, testPath];

/** Every command of this folder, the Cs cmdlets in both modules (for in-process runs without a server version). */
export const serverCommands: CommandDefinition[] = [...lyncCommands, ...emulatorCommands, ...certificateDriveCommands];

/** What a server's runspace has: the Cs cmdlets in its product's module only, and the emulator's commands. */
export function serverCommandsWith(module: ManagementModule): CommandDefinition[] {
  return [...csCmdletsIn(module), ...emulatorCommands, ...certificateDriveCommands];
}
