// The commands an emulated Lync server adds to its runspace.
//
// Lync's Cs cmdlets are registered once per module name, so whichever of `Import-Module Lync` (Lync
// Server 2013) or `Import-Module SkypeForBusiness` (SfB 2015/2019) a script runs makes them visible.

import type { CommandDefinition } from "../powershell/command";
import { clearEmulatorFault } from "./clearEmulatorFault";
import { getChildItem } from "./getChildItem";
import { getCsCertificate } from "./getCsCertificate";
import { getCsPool } from "./getCsPool";
import { getCsService } from "./getCsService";
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
  getCsPool,
  getCsService,
  stopCsWindowsService,
  startCsWindowsService,
];

/** The Cs cmdlets, each twice: module "Lync" and module "SkypeForBusiness". */
export const lyncCommands: CommandDefinition[] = (["Lync", "SkypeForBusiness"] as const).flatMap((module) =>
  csCmdlets.map((command) => ({ ...command, module })),
);

/** Set-EmulatorTime, Get-EmulatorAuditLog/ProcessLog/ScriptBlockLog, Set-/Clear-EmulatorFault, Set-EmulatorCaBehavior: always visible. */
export const emulatorCommands: CommandDefinition[] = [
  setEmulatorTime,
  getEmulatorAuditLog,
  getEmulatorProcessLog,
  getEmulatorScriptBlockLog,
  setEmulatorFault,
  clearEmulatorFault,
  setEmulatorCaBehavior,
];

/** Get-ChildItem, Get-Item and Test-Path with the Cert: drive (module undefined: visible without any import). */
export const certificateDriveCommands: CommandDefinition[] = [getChildItem, getItem, testPath];

/** Everything a server's runspace needs from this folder: pass it as RunScriptOptions.commands. */
export const serverCommands: CommandDefinition[] = [...lyncCommands, ...emulatorCommands, ...certificateDriveCommands];
