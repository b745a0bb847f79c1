// The Windows PowerShell 5.1 built-in cmdlets scripts and our provider use, as CommandDefinitions
// (Microsoft.PowerShell.Utility / Management / Core). Commands passed in RunScriptOptions.commands
// replace these by name (the emulator supplies Get-ChildItem and Get-Item for the Cert: drive).

import { PowerShellError, type CommandContext, type CommandDefinition, type ParameterDefinition } from "./command";
import type { VirtualFileSystem } from "./session";
import { PSDateTime, PSHashtable, PSObject, PSSecureString } from "./values";
import { ErrorRecord, ScriptBlock, collapse, enumerate, toBool, toNumber, toPSString } from "./runtimeValues";
import { getMember } from "./members";
import { compareOperator, looseEquals, sortCompare } from "./operators";
import { convertFromJson, convertToJson } from "./convertToJson";
import { FormattedText, formatList, formatTable, outDefault } from "./formatOutput";
import { GetDateResult, formatDateTime } from "./formatDateTime";
import { renderErrorRecord } from "./renderError";

/** What built-in commands need from the interpreter running them. */
export interface Runtime {
  readonly fileSystem: VirtualFileSystem;
  now(): Date;
  writeHost(text: string): void;
  getVariable(name: string): unknown;
  setVariable(name: string, value: unknown): void;
  /** Marks a module imported; false when no command belongs to it. */
  importModule(name: string): boolean;
  invokeScriptBlock(block: ScriptBlock, dollarUnder: unknown, args?: unknown[]): Promise<unknown[]>;
  formatEnumerationLimit(): number;
  visibleCommands(): CommandDefinition[];
  setMatches(matches: PSHashtable | null): void;
}

const UTILITY = "Microsoft.PowerShell.Utility" as const;

function command(
  name: string,
  parameters: ParameterDefinition[],
  invoke: (context: CommandContext) => void | Promise<void>,
  extraSets: { name: string; parameters: ParameterDefinition[] }[] = [],
): CommandDefinition {
  return {
    name,
    module: UTILITY,
    parameterSets: [
      { name: extraSets.length ? "Default" : "__AllParameterSets", parameters, isDefault: true },
      ...extraSets,
    ],
    invoke,
  };
}

function classOf(name: string): string {
  return `Microsoft.PowerShell.Commands.${name.replace("-", "")}Command`;
}

function commandError(cmd: string, message: string, id: string, category: string, exception: string, target?: unknown) {
  const e = new PowerShellError(message, `${id},${classOf(cmd)}`, category, target);
  e.exceptionTypeName = exception;
  return e;
}

function pathNotFound(cmd: string, path: string) {
  return commandError(
    cmd,
    `Cannot find path '${path}' because it does not exist.`,
    "PathNotFound",
    "ObjectNotFound",
    "ItemNotFoundException",
    path,
  );
}

/** Input objects of a command that reads the pipeline itself, or its -InputObject. */
function inputOf(context: CommandContext, parameter = "InputObject"): unknown[] {
  if (parameter in context.parameters) return enumerate(context.parameters[parameter]);
  return [...context.input];
}

function propertyValue(item: unknown, name: string): unknown {
  return getMember(item, name);
}

/** Select-Object / Sort-Object / Format-* property specs: names (with wildcards) or @{Name=..; Expression={..}}. */
async function evaluateProperty(runtime: Runtime, item: unknown, spec: unknown): Promise<[string, unknown][]> {
  if (spec instanceof PSHashtable) {
    const name = toPSString(spec.get("Name") ?? spec.get("n") ?? spec.get("Label") ?? spec.get("l") ?? "");
    const expression = spec.get("Expression") ?? spec.get("e");
    if (expression instanceof ScriptBlock) return [[name, collapse(await runtime.invokeScriptBlock(expression, item))]];
    return [[name || toPSString(expression), propertyValue(item, toPSString(expression))]];
  }
  if (spec instanceof ScriptBlock) return [[spec.text.trim(), collapse(await runtime.invokeScriptBlock(spec, item))]];
  const name = toPSString(spec);
  if (/[*?]/.test(name) && (item instanceof PSObject || item instanceof PSHashtable)) {
    const re = new RegExp(
      "^" +
        name
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".") +
        "$",
      "i",
    );
    return item.entries().filter(([k]) => re.test(k));
  }
  const actual =
    item instanceof PSObject
      ? (item.propertyNames().find((n) => n.toLowerCase() === name.toLowerCase()) ?? name)
      : name;
  return [[actual, propertyValue(item, name)]];
}

export function builtinCommands(runtime: Runtime): CommandDefinition[] {
  const formatOptions = () => ({ enumerationLimit: runtime.formatEnumerationLimit() });
  const renderRecord = (r: ErrorRecord) => renderErrorRecord(r);

  const whereOperators = [
    "EQ",
    "NE",
    "GT",
    "GE",
    "LT",
    "LE",
    "Like",
    "NotLike",
    "Match",
    "NotMatch",
    "Contains",
    "NotContains",
    "In",
    "NotIn",
    "CEQ",
    "CNE",
    "CLike",
    "CNotLike",
    "CMatch",
    "CNotMatch",
    "Is",
    "IsNot",
  ];

  return [
    command(
      "ForEach-Object",
      [
        { name: "Process", type: "object", position: 0 },
        { name: "Begin", type: "object" },
        { name: "End", type: "object" },
        { name: "MemberName", type: "string" },
        { name: "ArgumentList", type: "object[]", aliases: ["Args"] },
        { name: "InputObject", type: "object" },
      ],
      async (context) => {
        const p = context.parameters;
        const items = inputOf(context);
        const run = async (block: unknown, item: unknown) => {
          if (block instanceof ScriptBlock) {
            for (const r of await runtime.invokeScriptBlock(block, item, enumerate(p.ArgumentList))) context.output(r);
          }
        };
        await run(p.Begin, null);
        const member = p.MemberName ?? (typeof p.Process === "string" ? p.Process : undefined);
        for (const item of items) {
          if (member !== undefined) {
            const v = propertyValue(item, toPSString(member));
            for (const x of enumerate(v)) context.output(x);
          } else {
            for (const block of enumerate(p.Process)) await run(block, item);
          }
        }
        await run(p.End, null);
      },
    ),

    command(
      "Where-Object",
      [
        { name: "FilterScript", type: "object", position: 0 },
        { name: "InputObject", type: "object" },
      ],
      async (context) => {
        const p = context.parameters;
        const items = inputOf(context);
        const op = whereOperators.find((o) => p[o] === true);
        const property = p.FilterScript ?? p.Property;
        for (const item of items) {
          let keep: boolean;
          if (property instanceof ScriptBlock && !op) {
            keep = toBool(collapse(await runtime.invokeScriptBlock(property, item)));
          } else {
            const value = propertyValue(item, toPSString(property));
            keep = op ? toBool(compareOperator("-" + op, value, p.Value ?? null, runtime)) : toBool(value);
          }
          if (keep) context.output(item);
        }
      },
      [
        {
          name: "Comparison",
          parameters: [
            { name: "Property", type: "string", position: 0, mandatory: true },
            { name: "Value", type: "object", position: 1 },
            { name: "InputObject", type: "object" },
            ...whereOperators.map((name) => ({
              name,
              type: "switch" as const,
              aliases: name === "EQ" ? ["IEQ"] : undefined,
            })),
          ],
        },
      ],
    ),

    command(
      "Select-Object",
      [
        { name: "Property", type: "object[]", position: 0 },
        { name: "ExpandProperty", type: "string" },
        { name: "ExcludeProperty", type: "string[]" },
        { name: "First", type: "int" },
        { name: "Last", type: "int" },
        { name: "Skip", type: "int" },
        { name: "Unique", type: "switch" },
        { name: "Index", type: "object[]" },
        { name: "InputObject", type: "object" },
      ],
      async (context) => {
        const p = context.parameters;
        let items = inputOf(context);
        if (p.Unique) items = items.filter((v, i) => items.findIndex((w) => looseEquals(w, v, true)) === i);
        if (p.Skip !== undefined) items = items.slice(p.Skip as number);
        if (p.First !== undefined || p.Last !== undefined) {
          const first = p.First !== undefined ? items.slice(0, p.First as number) : [];
          const last = p.Last !== undefined ? items.slice(Math.max(0, items.length - (p.Last as number))) : [];
          items =
            p.First !== undefined && p.Last !== undefined ? [...first, ...last] : p.First !== undefined ? first : last;
        }
        if (p.Index !== undefined)
          items = enumerate(p.Index)
            .map((i) => items[toNumber(i) ?? 0])
            .filter((v) => v !== undefined);
        for (const item of items) {
          if (p.ExpandProperty !== undefined) {
            const name = p.ExpandProperty as string;
            const has =
              item instanceof PSObject
                ? item.has(name)
                : item instanceof PSHashtable
                  ? item.has(name)
                  : getMember(item, name) !== null;
            if (!has) {
              context.writeError(
                commandError(
                  "Select-Object",
                  `Property "${name}" cannot be found.`,
                  "ExpandPropertyNotFound",
                  "InvalidArgument",
                  "PSArgumentException",
                  item,
                ),
              );
              continue;
            }
            for (const v of enumerate(getMember(item, name))) context.output(v);
          } else if (p.Property !== undefined) {
            const result = new PSObject([
              "Selected." + (item instanceof PSObject ? item.typeNames[0] : "System.Object"),
              "System.Management.Automation.PSCustomObject",
            ]);
            for (const spec of enumerate(p.Property))
              for (const [k, v] of await evaluateProperty(runtime, item, spec)) result.set(k, v);
            context.output(result);
          } else context.output(item);
        }
      },
    ),

    command(
      "Sort-Object",
      [
        { name: "Property", type: "object[]", position: 0 },
        { name: "Descending", type: "switch" },
        { name: "Unique", type: "switch" },
        { name: "CaseSensitive", type: "switch" },
        { name: "InputObject", type: "object" },
      ],
      async (context) => {
        const p = context.parameters;
        const items = inputOf(context);
        const keyed: { item: unknown; keys: unknown[] }[] = [];
        for (const item of items) {
          const keys: unknown[] = [];
          if (p.Property === undefined) keys.push(item);
          else
            for (const spec of enumerate(p.Property))
              keys.push(...(await evaluateProperty(runtime, item, spec)).map(([, v]) => v));
          keyed.push({ item, keys });
        }
        const dir = p.Descending ? -1 : 1;
        keyed.sort((a, b) => {
          for (let i = 0; i < a.keys.length; i++) {
            const c = sortCompare(a.keys[i], b.keys[i]);
            if (c !== 0) return c * dir;
          }
          return 0;
        });
        let sorted = keyed.map((k) => k.item);
        if (p.Unique) sorted = sorted.filter((v, i) => i === 0 || !looseEquals(sorted[i - 1], v));
        for (const s of sorted) context.output(s);
      },
    ),

    command(
      "Format-List",
      [
        { name: "Property", type: "object[]", position: 0 },
        { name: "InputObject", type: "object" },
      ],
      (context) => {
        const props =
          context.parameters.Property === undefined
            ? undefined
            : enumerate(context.parameters.Property).map(toPSString);
        const items = inputOf(context);
        if (items.length) context.output(new FormattedText(formatList(items, formatOptions(), props)));
      },
    ),

    command(
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
          context.parameters.Property === undefined
            ? undefined
            : enumerate(context.parameters.Property).map(toPSString);
        const items = inputOf(context);
        if (items.length)
          context.output(
            new FormattedText(formatTable(items, formatOptions(), props, context.parameters.HideTableHeaders === true)),
          );
      },
    ),

    command(
      "Out-String",
      [
        { name: "Width", type: "int" },
        { name: "Stream", type: "switch" },
        { name: "InputObject", type: "object" },
      ],
      (context) => {
        const text = outDefault(inputOf(context), formatOptions(), renderRecord);
        if (context.parameters.Stream) for (const line of text.split("\n")) context.output(line);
        else context.output(text);
      },
    ),

    command("Out-Null", [{ name: "InputObject", type: "object" }], () => {}),

    command(
      "Out-Host",
      [
        { name: "InputObject", type: "object" },
        { name: "Paging", type: "switch" },
      ],
      (context) => {
        runtime.writeHost(outDefault(inputOf(context), formatOptions(), renderRecord));
      },
    ),

    command("Out-Default", [{ name: "InputObject", type: "object" }], (context) => {
      runtime.writeHost(outDefault(inputOf(context), formatOptions(), renderRecord));
    }),

    command(
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
    ),

    command("ConvertFrom-Json", [{ name: "InputObject", type: "string", position: 0 }], (context) => {
      const p = context.parameters;
      const text = "InputObject" in p ? toPSString(p.InputObject) : context.input.map(toPSString).join("\n");
      if (text.trim() === "") return;
      // 5.1 writes a JSON array as one object (an array), not one object per element.
      context.output(convertFromJson(text));
    }),

    command(
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
    ),

    command(
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
    ),

    command(
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
    ),

    command("Write-Warning", [{ name: "Message", type: "string", position: 0, aliases: ["Msg"] }], (context) => {
      context.writeWarning(toPSString(context.parameters.Message ?? context.input.map(toPSString).join(" ")));
    }),

    command("Write-Verbose", [{ name: "Message", type: "string", position: 0, aliases: ["Msg"] }], (context) => {
      context.writeVerbose(toPSString(context.parameters.Message ?? ""));
    }),

    command("Write-Debug", [{ name: "Message", type: "string", position: 0, aliases: ["Msg"] }], () => {}),

    command(
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
    ),

    command(
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
    ),

    command(
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
            context.output(
              new PSObject(["System.Management.Automation.PSModuleInfo"], {
                ModuleType: "Manifest",
                Version: "5.0.0.0",
                Name: name,
              }),
            );
          }
        }
      },
    ),

    // The modules of this session that hold a visible command (Lync's once imported, or auto-loaded).
    command("Get-Module", [{ name: "Name", type: "string[]", position: 0 }], (context) => {
      const loaded = new Set(runtime.visibleCommands().flatMap((c) => (c.module ? [c.module] : [])));
      const wanted = (context.parameters.Name as string[] | undefined)?.map((n) => n.toLowerCase());
      for (const name of loaded) {
        if (wanted && !wanted.includes(name.toLowerCase())) continue;
        context.output(
          new PSObject(["System.Management.Automation.PSModuleInfo"], {
            ModuleType: "Manifest",
            Version: "5.0.0.0",
            Name: name,
          }),
        );
      }
    }),

    command(
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
          const re = new RegExp(
            "^" +
              pattern
                .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                .replace(/\*/g, ".*")
                .replace(/\?/g, ".") +
              "$",
            "i",
          );
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
    ),

    command(
      "Get-Content",
      [
        { name: "Path", type: "string[]", position: 0, mandatory: true, aliases: ["LiteralPath", "PSPath"] },
        { name: "Raw", type: "switch" },
        { name: "Encoding", type: "string" },
        { name: "TotalCount", type: "int", aliases: ["First", "Head"] },
      ],
      (context) => {
        for (const path of context.parameters.Path as string[]) {
          const data = runtime.fileSystem.read(path);
          if (!data) {
            context.writeError(pathNotFound("Get-Content", path));
            continue;
          }
          const text = decodeText(data, context.parameters.Encoding as string | undefined);
          if (context.parameters.Raw) context.output(text);
          else {
            const lines = text.split(/\r?\n/);
            if (lines[lines.length - 1] === "") lines.pop();
            const count = context.parameters.TotalCount as number | undefined;
            for (const line of count !== undefined ? lines.slice(0, count) : lines) context.output(line);
          }
        }
      },
    ),

    command(
      "Set-Content",
      [
        { name: "Path", type: "string[]", position: 0, mandatory: true, aliases: ["LiteralPath", "PSPath"] },
        { name: "Value", type: "object[]", position: 1 },
        { name: "Encoding", type: "string" },
        { name: "NoNewline", type: "switch" },
        { name: "Force", type: "switch" },
      ],
      (context) => {
        const p = context.parameters;
        const values = "Value" in p ? enumerate(p.Value) : context.input;
        const encoding = ((p.Encoding as string | undefined) ?? "").toLowerCase();
        const text = p.NoNewline ? values.map(toPSString).join("") : values.map((v) => toPSString(v) + "\r\n").join("");
        const bytes =
          encoding === "byte" ? new Uint8Array(values.map((v) => toNumber(v) ?? 0)) : encodeText(text, encoding);
        for (const path of p.Path as string[]) runtime.fileSystem.write(path, bytes);
      },
    ),

    command(
      "Test-Path",
      [
        { name: "Path", type: "string[]", position: 0, mandatory: true, aliases: ["LiteralPath", "PSPath"] },
        { name: "PathType", type: "string" },
      ],
      (context) => {
        for (const path of context.parameters.Path as string[]) context.output(runtime.fileSystem.exists(path));
      },
    ),

    command(
      "Remove-Item",
      [
        { name: "Path", type: "string[]", position: 0, mandatory: true, aliases: ["LiteralPath", "PSPath"] },
        { name: "Force", type: "switch" },
        { name: "Recurse", type: "switch" },
      ],
      (context) => {
        for (const path of context.parameters.Path as string[]) {
          if (!runtime.fileSystem.remove(path)) context.writeError(pathNotFound("Remove-Item", path));
        }
      },
    ),

    command(
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
    ),

    command(
      "New-Object",
      [
        { name: "TypeName", type: "string", position: 0 },
        { name: "Property", type: "object" },
        { name: "ArgumentList", type: "object[]", position: 1 },
      ],
      (context) => {
        const type = toPSString(context.parameters.TypeName).toLowerCase();
        // Lists are JS arrays here: .Add() appends and returns the index, as ArrayList's does.
        if (/^(system\.)?collections\.(arraylist|generic\.list\[.*\])$/.test(type)) {
          context.output([]);
          return;
        }
        if (type !== "psobject" && type !== "pscustomobject" && type !== "system.management.automation.psobject") {
          throw commandError(
            "New-Object",
            `Cannot find type [${context.parameters.TypeName}]: verify that the assembly containing this type is loaded.`,
            "TypeNotFound",
            "InvalidType",
            "PSArgumentException",
          );
        }
        const props = context.parameters.Property;
        context.output(
          new PSObject(undefined, props instanceof PSHashtable ? Object.fromEntries(props.entries()) : {}),
        );
      },
    ),

    command(
      "Measure-Object",
      [
        { name: "Property", type: "string", position: 0 },
        { name: "Sum", type: "switch" },
        { name: "Average", type: "switch" },
        { name: "Maximum", type: "switch" },
        { name: "Minimum", type: "switch" },
        { name: "InputObject", type: "object" },
      ],
      (context) => {
        const p = context.parameters;
        const items = inputOf(context);
        const values = p.Property
          ? items.map((i) => toNumber(getMember(i, p.Property as string)) ?? 0)
          : items.map((i) => toNumber(i) ?? 0);
        const sum = values.reduce((a, b) => a + b, 0);
        context.output(
          new PSObject(["Microsoft.PowerShell.Commands.GenericMeasureInfo"], {
            Count: items.length,
            Average: p.Average ? sum / Math.max(1, values.length) : null,
            Sum: p.Sum ? sum : null,
            Maximum: p.Maximum ? Math.max(...values) : null,
            Minimum: p.Minimum ? Math.min(...values) : null,
            Property: p.Property ?? null,
          }),
        );
      },
    ),
  ];
}

function decodeText(data: Uint8Array, encoding?: string): string {
  const b = Buffer.from(data);
  if (b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString("utf16le");
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString("utf8");
  if ((encoding ?? "").toLowerCase() === "unicode") return b.toString("utf16le");
  return b.toString("utf8");
}

function encodeText(text: string, encoding: string): Uint8Array {
  switch (encoding) {
    case "unicode":
      return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    case "utf8":
      return new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]));
    default:
      return new Uint8Array(Buffer.from(text, "utf8"));
  }
}
