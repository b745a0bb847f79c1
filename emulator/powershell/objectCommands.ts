// Built-in commands over pipeline objects: ForEach-Object, Where-Object, Select-Object, Sort-Object,
// New-Object and Measure-Object.

import type { CommandDefinition } from "./command";
import { PSHashtable, PSObject } from "./values";
import { ScriptBlock, collapse, enumerate, toBool, toNumber, toPSString } from "./runtimeValues";
import { getMember } from "./members";
import { compareOperator, looseEquals, sortCompare } from "./operators";
import { command, commandError, inputOf, propertyValue, wildcardPattern } from "./builtinSupport";
import type { Runtime } from "./builtinCommands";

/** ForEach-Object, Where-Object, Select-Object, Sort-Object, New-Object and Measure-Object. */
export function objectCommands(runtime: Runtime): CommandDefinition[] {
  return [
    forEachObjectCommand(runtime),
    whereObjectCommand(runtime),
    selectObjectCommand(runtime),
    sortObjectCommand(runtime),
    newObjectCommand(),
    measureObjectCommand(),
  ];
}

const WHERE_OPERATORS = [
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
    const re = wildcardPattern(name);
    return item.entries().filter(([k]) => re.test(k));
  }
  const actual =
    item instanceof PSObject
      ? (item.propertyNames().find((n) => n.toLowerCase() === name.toLowerCase()) ?? name)
      : name;
  return [[actual, propertyValue(item, name)]];
}

function forEachObjectCommand(runtime: Runtime): CommandDefinition {
  return command(
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
  );
}

function whereObjectCommand(runtime: Runtime): CommandDefinition {
  return command(
    "Where-Object",
    [
      { name: "FilterScript", type: "object", position: 0 },
      { name: "InputObject", type: "object" },
    ],
    async (context) => {
      const p = context.parameters;
      const items = inputOf(context);
      const op = WHERE_OPERATORS.find((o) => p[o] === true);
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
          ...WHERE_OPERATORS.map((name) => ({
            name,
            type: "switch" as const,
            aliases: name === "EQ" ? ["IEQ"] : undefined,
          })),
        ],
      },
    ],
  );
}

function selectObjectCommand(runtime: Runtime): CommandDefinition {
  return command(
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
  );
}

function sortObjectCommand(runtime: Runtime): CommandDefinition {
  return command(
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
  );
}

function newObjectCommand(): CommandDefinition {
  return command(
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
      context.output(new PSObject(undefined, props instanceof PSHashtable ? Object.fromEntries(props.entries()) : {}));
    },
  );
}

function measureObjectCommand(): CommandDefinition {
  return command(
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
  );
}
