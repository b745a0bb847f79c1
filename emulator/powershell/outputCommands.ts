// Built-in commands that write: Format-*, Out-*, ConvertTo-/ConvertFrom-Json and the Write-* streams.

import { PowerShellError, type CommandContext, type CommandDefinition, type ParameterDefinition } from "./command";
import { ErrorRecord, enumerate, toPSString } from "./runtimeValues";
import { getMember } from "./members";
import { convertFromJson, convertToJson } from "./convertToJson";
import { FormattedText, formatList, formatTable, outDefault } from "./formatOutput";
import { renderErrorRecord } from "./renderError";
import { command, formatOptions, objectsCommand } from "./builtinSupport";
import type { Runtime } from "./builtinCommands";

/** Format-*, Out-*, ConvertTo-/ConvertFrom-Json and the Write-* commands. */
export function outputCommands(runtime: Runtime): CommandDefinition[] {
  return [
    formatListCommand(runtime),
    formatTableCommand(runtime),
    outStringCommand(runtime),
    outNullCommand(),
    outHostCommand(runtime),
    outDefaultCommand(runtime),
    convertToJsonCommand(),
    convertFromJsonCommand(),
    writeOutputCommand(),
    writeHostCommand(runtime),
    writeErrorCommand(),
    writeWarningCommand(),
    writeVerboseCommand(),
    writeDebugCommand(),
  ];
}

/** Format-*'s -Property: the names to show, or undefined for the object's own choice. */
function propertyNames(context: CommandContext): string[] | undefined {
  const property = context.parameters.Property;
  return property === undefined ? undefined : enumerate(property).map(toPSString);
}

function formatListCommand(runtime: Runtime): CommandDefinition {
  return objectsCommand("Format-List", [{ name: "Property", type: "object[]", position: 0 }], (context, items) => {
    const props = propertyNames(context);
    if (items.length) context.output(new FormattedText(formatList(items, formatOptions(runtime), props)));
  });
}

function formatTableCommand(runtime: Runtime): CommandDefinition {
  return objectsCommand(
    "Format-Table",
    [
      { name: "Property", type: "object[]", position: 0 },
      { name: "AutoSize", type: "switch" },
      { name: "HideTableHeaders", type: "switch" },
      { name: "Wrap", type: "switch" },
    ],
    (context, items) => {
      const props = propertyNames(context);
      if (items.length)
        context.output(
          new FormattedText(
            formatTable(items, formatOptions(runtime), props, context.parameters.HideTableHeaders === true),
          ),
        );
    },
  );
}

function outStringCommand(runtime: Runtime): CommandDefinition {
  return objectsCommand(
    "Out-String",
    [
      { name: "Width", type: "int" },
      { name: "Stream", type: "switch" },
    ],
    (context, items) => {
      const text = outDefault(items, formatOptions(runtime), renderErrorRecord);
      if (context.parameters.Stream) for (const line of text.split("\n")) context.output(line);
      else context.output(text);
    },
  );
}

function outNullCommand(): CommandDefinition {
  return objectsCommand("Out-Null", [], () => {});
}

/** Out-Host and Out-Default: the objects formatted as the console shows them. */
function outHostCommand(runtime: Runtime, name = "Out-Host"): CommandDefinition {
  const paging: ParameterDefinition[] = name === "Out-Host" ? [{ name: "Paging", type: "switch" }] : [];
  return objectsCommand(name, paging, (_context, items) => {
    runtime.writeHost(outDefault(items, formatOptions(runtime), renderErrorRecord));
  });
}

function outDefaultCommand(runtime: Runtime): CommandDefinition {
  return outHostCommand(runtime, "Out-Default");
}

function convertToJsonCommand(): CommandDefinition {
  return command(
    "ConvertTo-Json",
    [
      { name: "InputObject", type: "object", position: 0 },
      { name: "Depth", type: "int" },
      { name: "Compress", type: "switch" },
    ],
    (context) => {
      const p = context.parameters;
      let value: unknown;
      if ("InputObject" in p) value = p.InputObject;
      else {
        // Windows PowerShell 5.1 does not wrap a single pipeline object in an array.
        const items = [...context.input];
        if (items.length === 0) return;
        value = items.length === 1 ? items[0] : items;
      }
      context.output(convertToJson(value, { depth: p.Depth as number | undefined, compress: p.Compress === true }));
    },
  );
}

function convertFromJsonCommand(): CommandDefinition {
  return command("ConvertFrom-Json", [{ name: "InputObject", type: "string", position: 0 }], (context) => {
    const p = context.parameters;
    const text = "InputObject" in p ? toPSString(p.InputObject) : context.input.map(toPSString).join("\n");
    if (text.trim() === "") return;
    // 5.1 writes a JSON array as one object (an array), not one object per element.
    context.output(convertFromJson(text));
  });
}

function writeOutputCommand(): CommandDefinition {
  return command(
    "Write-Output",
    [
      { name: "InputObject", type: "object", position: 0 },
      { name: "NoEnumerate", type: "switch" },
    ],
    (context) => {
      const p = context.parameters;
      const items = "InputObject" in p ? (p.NoEnumerate ? [p.InputObject] : enumerate(p.InputObject)) : context.input;
      for (const i of items) context.output(i);
    },
  );
}

function writeHostCommand(runtime: Runtime): CommandDefinition {
  return command(
    "Write-Host",
    [
      { name: "Object", type: "object", position: 0 },
      { name: "NoNewline", type: "switch" },
      { name: "Separator", type: "object" },
      { name: "ForegroundColor", type: "string" },
      { name: "BackgroundColor", type: "string" },
    ],
    (context) => {
      const p = context.parameters;
      const items = "Object" in p ? enumerate(p.Object) : context.input;
      const text = items.map(toPSString).join(p.Separator === undefined ? " " : toPSString(p.Separator));
      runtime.writeHost(text + (p.NoNewline ? "" : "\n"));
    },
  );
}

function writeErrorCommand(): CommandDefinition {
  return command(
    "Write-Error",
    [
      { name: "Message", type: "string", position: 0, aliases: ["Msg"] },
      { name: "Category", type: "string" },
      { name: "ErrorId", type: "string" },
      { name: "TargetObject", type: "object" },
      { name: "ErrorRecord", type: "object" },
      { name: "Exception", type: "object" },
    ],
    (context) => {
      const p = context.parameters;
      if (p.ErrorRecord instanceof ErrorRecord) {
        context.writeError(p.ErrorRecord.error);
        return;
      }
      const message = toPSString(
        p.Message ?? (p.Exception !== undefined ? (getMember(p.Exception, "Message") ?? p.Exception) : ""),
      );
      const e = new PowerShellError(
        message,
        p.ErrorId ? `${toPSString(p.ErrorId)}` : "Microsoft.PowerShell.Commands.WriteErrorException",
        p.Category ? toPSString(p.Category) : "NotSpecified",
        p.TargetObject,
      );
      e.exceptionTypeName = "WriteErrorException";
      context.writeError(e);
    },
  );
}

function writeWarningCommand(): CommandDefinition {
  return command("Write-Warning", [{ name: "Message", type: "string", position: 0, aliases: ["Msg"] }], (context) => {
    context.writeWarning(toPSString(context.parameters.Message ?? context.input.map(toPSString).join(" ")));
  });
}

function writeVerboseCommand(): CommandDefinition {
  return command("Write-Verbose", [{ name: "Message", type: "string", position: 0, aliases: ["Msg"] }], (context) => {
    context.writeVerbose(toPSString(context.parameters.Message ?? ""));
  });
}

function writeDebugCommand(): CommandDefinition {
  return command("Write-Debug", [{ name: "Message", type: "string", position: 0, aliases: ["Msg"] }], () => {});
}
