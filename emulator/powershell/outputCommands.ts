// Built-in commands that write: Format-*, Out-*, ConvertTo-/ConvertFrom-Json and the Write-* streams.

import { PowerShellError, type CommandDefinition } from "./command";
import { ErrorRecord, enumerate, toPSString } from "./runtimeValues";
import { getMember } from "./members";
import { convertFromJson, convertToJson } from "./convertToJson";
import { FormattedText, formatList, formatTable, outDefault } from "./formatOutput";
import { renderErrorRecord } from "./renderError";
import { command, formatOptions, inputOf } from "./builtinSupport";
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

function formatListCommand(runtime: Runtime): CommandDefinition {
  return command(
    "Format-List",
    [
      { name: "Property", type: "object[]", position: 0 },
      { name: "InputObject", type: "object" },
    ],
    (context) => {
      const props =
        context.parameters.Property === undefined ? undefined : enumerate(context.parameters.Property).map(toPSString);
      const items = inputOf(context);
      if (items.length) context.output(new FormattedText(formatList(items, formatOptions(runtime), props)));
    },
  );
}

function formatTableCommand(runtime: Runtime): CommandDefinition {
  return command(
    "Format-Table",
    [
      { name: "Property", type: "object[]", position: 0 },
      { name: "AutoSize", type: "switch" },
      { name: "HideTableHeaders", type: "switch" },
      { name: "Wrap", type: "switch" },
      { name: "InputObject", type: "object" },
    ],
    (context) => {
      const props =
        context.parameters.Property === undefined ? undefined : enumerate(context.parameters.Property).map(toPSString);
      const items = inputOf(context);
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
  return command(
    "Out-String",
    [
      { name: "Width", type: "int" },
      { name: "Stream", type: "switch" },
      { name: "InputObject", type: "object" },
    ],
    (context) => {
      const text = outDefault(inputOf(context), formatOptions(runtime), renderErrorRecord);
      if (context.parameters.Stream) for (const line of text.split("\n")) context.output(line);
      else context.output(text);
    },
  );
}

function outNullCommand(): CommandDefinition {
  return command("Out-Null", [{ name: "InputObject", type: "object" }], () => {});
}

function outHostCommand(runtime: Runtime): CommandDefinition {
  return command(
    "Out-Host",
    [
      { name: "InputObject", type: "object" },
      { name: "Paging", type: "switch" },
    ],
    (context) => {
      runtime.writeHost(outDefault(inputOf(context), formatOptions(runtime), renderErrorRecord));
    },
  );
}

function outDefaultCommand(runtime: Runtime): CommandDefinition {
  return command("Out-Default", [{ name: "InputObject", type: "object" }], (context) => {
    runtime.writeHost(outDefault(inputOf(context), formatOptions(runtime), renderErrorRecord));
  });
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
