// What the built-in commands share: declaring one, PowerShell's error shape for cmdlets, and reading input.

import { PowerShellError, type CommandContext, type CommandDefinition, type ParameterDefinition } from "./command";
import { enumerate } from "./runtimeValues";
import { getMember } from "./members";
import type { Runtime } from "./builtinCommands";

const UTILITY = "Microsoft.PowerShell.Utility" as const;

export function command(
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

export function commandError(
  cmd: string,
  message: string,
  id: string,
  category: string,
  exception: string,
  target?: unknown,
) {
  const e = new PowerShellError(message, `${id},${classOf(cmd)}`, category, target);
  e.exceptionTypeName = exception;
  return e;
}

export function pathNotFound(cmd: string, path: string) {
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
export function inputOf(context: CommandContext, parameter = "InputObject"): unknown[] {
  if (parameter in context.parameters) return enumerate(context.parameters[parameter]);
  return [...context.input];
}

export function propertyValue(item: unknown, name: string): unknown {
  return getMember(item, name);
}

/** Format-* and Out-* options from the runspace ($FormatEnumerationLimit). */
export function formatOptions(runtime: Runtime): { enumerationLimit: number } {
  return { enumerationLimit: runtime.formatEnumerationLimit() };
}

/** A PowerShell wildcard (`*`, `?`) as a case-insensitive whole-string regular expression. */
export function wildcardPattern(pattern: string): RegExp {
  return new RegExp(
    "^" +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".") +
      "$",
    "i",
  );
}
