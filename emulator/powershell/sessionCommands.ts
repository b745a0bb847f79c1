// Built-in commands about the session and the machine: Get-Date, Start-Sleep, Import-Module,
// Get-Module, Get-Command and ConvertTo-SecureString.

import type { CommandDefinition } from "./command";
import { PSDateTime, PSObject, PSSecureString } from "./values";
import { GetDateResult, formatDateTime } from "./formatDateTime";
import { command, commandError, wildcardPattern } from "./builtinSupport";
import type { Runtime } from "./builtinCommands";

/** Get-Date, Start-Sleep, Import-Module, Get-Module, Get-Command and ConvertTo-SecureString. */
export function sessionCommands(runtime: Runtime): CommandDefinition[] {
  return [
    getDateCommand(runtime),
    startSleepCommand(),
    importModuleCommand(runtime),
    getModuleCommand(runtime),
    getCommandCommand(runtime),
    convertToSecureStringCommand(),
  ];
}

function getDateCommand(runtime: Runtime): CommandDefinition {
  return command(
    "Get-Date",
    [
      { name: "Date", type: "datetime", position: 0 },
      { name: "Format", type: "string" },
      { name: "UFormat", type: "string" },
    ],
    (context) => {
      const p = context.parameters;
      const date = (p.Date as PSDateTime | undefined) ?? new PSDateTime(runtime.now(), "Local");
      if (p.Format !== undefined) context.output(formatDateTime(date, p.Format as string));
      else if (p.UFormat !== undefined) context.output(String(Math.floor(date.date.getTime() / 1000)));
      else context.output(p.Date ? new GetDateResult(date.date, date.kind) : new GetDateResult(date.date, "Local"));
    },
  );
}

function startSleepCommand(): CommandDefinition {
  return command(
    "Start-Sleep",
    [
      { name: "Seconds", type: "int", position: 0, aliases: ["s"] },
      { name: "Milliseconds", type: "int", aliases: ["ms"] },
    ],
    async (context) => {
      const ms =
        ((context.parameters.Seconds as number) ?? 0) * 1000 + ((context.parameters.Milliseconds as number) ?? 0);
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
  );
}

function importModuleCommand(runtime: Runtime): CommandDefinition {
  return command(
    "Import-Module",
    [
      { name: "Name", type: "string[]", position: 0, mandatory: true },
      { name: "Force", type: "switch" },
      { name: "Global", type: "switch" },
      { name: "PassThru", type: "switch" },
      { name: "DisableNameChecking", type: "switch" },
      { name: "Prefix", type: "string" },
    ],
    (context) => {
      for (const name of context.parameters.Name as string[]) {
        if (!runtime.importModule(name)) {
          context.writeError(
            commandError(
              "Import-Module",
              `The specified module '${name}' was not loaded because no valid module file was found in any module directory.`,
              "Modules_ModuleNotFound",
              "ResourceUnavailable",
              "FileNotFoundException",
              name,
            ),
          );
        } else if (context.parameters.PassThru) {
          context.output(moduleInfo(name));
        }
      }
    },
  );
}

/** What Get-Module and Import-Module -PassThru write for a module. [guess] ModuleType and Version */
function moduleInfo(name: string): PSObject {
  return new PSObject(["System.Management.Automation.PSModuleInfo"], {
    ModuleType: "Manifest",
    Version: "5.0.0.0",
    Name: name,
  });
}

/** Get-Module: the session's modules, or with -ListAvailable those on PSModulePath; -Name filters (wildcards). */
function getModuleCommand(runtime: Runtime): CommandDefinition {
  return command(
    "Get-Module",
    [
      { name: "Name", type: "string[]", position: 0 },
      { name: "ListAvailable", type: "switch" },
      { name: "All", type: "switch" },
    ],
    (context) => {
      const patterns = ((context.parameters.Name as string[] | undefined) ?? ["*"]).map(wildcardPattern);
      // A name that matches nothing writes nothing, without an error, as on Windows.
      for (const name of runtime.modules(context.parameters.ListAvailable === true)) {
        if (patterns.some((p) => p.test(name))) context.output(moduleInfo(name));
      }
    },
  );
}

function getCommandCommand(runtime: Runtime): CommandDefinition {
  return command(
    "Get-Command",
    [
      { name: "Name", type: "string[]", position: 0 },
      { name: "Module", type: "string[]" },
    ],
    (context) => {
      const names = context.parameters.Name as string[] | undefined;
      const modules = (context.parameters.Module as string[] | undefined)?.map((m) => m.toLowerCase());
      const visible = runtime.visibleCommands();
      for (const pattern of names ?? ["*"]) {
        const re = wildcardPattern(pattern);
        const found = visible.filter(
          (c) => re.test(c.name) && (!modules || modules.includes((c.module ?? "").toLowerCase())),
        );
        if (found.length === 0 && !/[*?]/.test(pattern)) {
          context.writeError(
            commandError(
              "Get-Command",
              `The term '${pattern}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
              "CommandNotFoundException",
              "ObjectNotFound",
              "CommandNotFoundException",
              pattern,
            ),
          );
        }
        for (const c of found)
          context.output(
            new PSObject(["System.Management.Automation.CmdletInfo"], {
              CommandType: "Cmdlet",
              Name: c.name,
              Version: "",
              Source: c.module ?? "",
            }),
          );
      }
    },
  );
}

function convertToSecureStringCommand(): CommandDefinition {
  return command(
    "ConvertTo-SecureString",
    [
      { name: "String", type: "string", position: 0, mandatory: true },
      { name: "AsPlainText", type: "switch" },
      { name: "Force", type: "switch" },
      { name: "Key", type: "object" },
    ],
    (context) => {
      const p = context.parameters;
      if (!p.AsPlainText) {
        throw commandError(
          "ConvertTo-SecureString",
          "Input string was not in a correct format.",
          "ImportSecureString_InvalidArgument",
          "InvalidArgument",
          "FormatException",
        );
      }
      if (!p.Force) {
        throw commandError(
          "ConvertTo-SecureString",
          "The system cannot protect plain text input. To suppress this warning and convert the plain text to a SecureString, reissue the command specifying the Force parameter. For more information ,type: get-help ConvertTo-SecureString.",
          "ImportSecureString_InvalidArgument",
          "InvalidArgument",
          "ArgumentException",
        );
      }
      context.output(new PSSecureString(p.String as string));
    },
  );
}
