// Parameter binding as Windows PowerShell 5.1 does it for compiled cmdlets: named parameters by
// case-insensitive name, alias or unambiguous prefix; switches; positional arguments; pipeline input by
// value; conversion to the declared type (enums by name); then parameter-set resolution and mandatory checks.

import { PowerShellError, type CommandDefinition, type ParameterDefinition } from "./command";
import { PSDateTime, PSEnum, PSSecureString } from "./values";
import { enumerate, parseDateTime, toNumber, toPSString, typeNameOf } from "./runtimeValues";

/** An argument as the interpreter evaluated it. */
export type BoundArgument =
  | {
      readonly kind: "named";
      readonly name: string;
      readonly hasValue: boolean;
      readonly value?: unknown;
      readonly usedColon?: boolean;
    }
  | { readonly kind: "positional"; readonly value: unknown };

export interface CommonParameters {
  verbose: boolean;
  debug: boolean;
  whatIf: boolean;
  confirm?: boolean;
  errorAction?: "Stop" | "Continue" | "SilentlyContinue" | "Ignore" | "Inquire";
  warningAction?: "Stop" | "Continue" | "SilentlyContinue" | "Ignore" | "Inquire";
  errorVariable?: string;
  warningVariable?: string;
  outVariable?: string;
}

export interface BindingResult {
  parameters: Record<string, unknown>;
  parameterSetName: string;
  common: CommonParameters;
  /** The parameter that takes pipeline input by value, when the chosen set has one. */
  pipelineParameter?: ParameterDefinition;
}

const COMMON: { name: string; aliases: string[]; type: "switch" | "action" | "string" }[] = [
  { name: "Verbose", aliases: ["vb"], type: "switch" },
  { name: "Debug", aliases: ["db"], type: "switch" },
  { name: "ErrorAction", aliases: ["ea"], type: "action" },
  { name: "WarningAction", aliases: ["wa"], type: "action" },
  { name: "InformationAction", aliases: ["infa"], type: "action" },
  { name: "ErrorVariable", aliases: ["ev"], type: "string" },
  { name: "WarningVariable", aliases: ["wv"], type: "string" },
  { name: "InformationVariable", aliases: ["iv"], type: "string" },
  { name: "OutVariable", aliases: ["ov"], type: "string" },
  { name: "OutBuffer", aliases: ["ob"], type: "string" },
  { name: "PipelineVariable", aliases: ["pv"], type: "string" },
  { name: "WhatIf", aliases: ["wi"], type: "switch" },
  { name: "Confirm", aliases: ["cf"], type: "switch" },
];

const ACTIONS = ["SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend"];

type Candidate = { kind: "param"; def: ParameterDefinition } | { kind: "common"; name: string; type: string };

function bindingError(message: string, errorId: string, command: string, category = "InvalidArgument") {
  const e = new PowerShellError(message, `${errorId},${command}`, category);
  e.exceptionTypeName = "ParameterBindingException";
  return e;
}

/** All distinct parameters of a command (a parameter may appear in several sets). */
function allParameters(command: CommandDefinition): ParameterDefinition[] {
  const seen = new Map<string, ParameterDefinition>();
  for (const set of command.parameterSets)
    for (const p of set.parameters) if (!seen.has(p.name.toLowerCase())) seen.set(p.name.toLowerCase(), p);
  return [...seen.values()];
}

function resolveName(command: CommandDefinition, written: string): Candidate {
  const name = written.toLowerCase();
  const params = allParameters(command);
  const exact = params.find((p) => p.name.toLowerCase() === name || p.aliases?.some((a) => a.toLowerCase() === name));
  if (exact) return { kind: "param", def: exact };
  const common = COMMON.find((c) => c.name.toLowerCase() === name || c.aliases.includes(name));
  if (common) return { kind: "common", name: common.name, type: common.type };
  const matches = new Map<string, Candidate>();
  for (const p of params) {
    if (p.name.toLowerCase().startsWith(name) || p.aliases?.some((a) => a.toLowerCase().startsWith(name)))
      matches.set(p.name, { kind: "param", def: p });
  }
  for (const c of COMMON)
    if (c.name.toLowerCase().startsWith(name)) matches.set(c.name, { kind: "common", name: c.name, type: c.type });
  if (matches.size === 1) return [...matches.values()][0];
  if (matches.size > 1) {
    throw bindingError(
      `Parameter cannot be processed because the parameter name '${written}' is ambiguous. Possible matches include: ` +
        [...matches.keys()].map((n) => `-${n}`).join(" ") +
        ".",
      "AmbiguousParameter",
      command.name,
    );
  }
  throw bindingError(
    `A parameter cannot be found that matches parameter name '${written}'.`,
    "NamedParameterNotFound",
    command.name,
  );
}

function dotnetTypeName(p: ParameterDefinition): string {
  if (p.enumTypeName) return p.enumTypeName;
  switch (p.type) {
    case "string":
      return "System.String";
    case "string[]":
      return "System.String[]";
    case "int":
      return "System.Int32";
    case "bool":
      return "System.Boolean";
    case "switch":
      return "System.Management.Automation.SwitchParameter";
    case "datetime":
      return "System.DateTime";
    case "securestring":
      return "System.Security.SecureString";
    case "object[]":
      return "System.Object[]";
    default:
      return "System.Object";
  }
}

function cannotConvert(command: string, p: ParameterDefinition, value: unknown, typeName: string, detail: string) {
  return bindingError(
    `Cannot bind parameter '${p.name}'. Cannot convert value "${toPSString(value)}" to type "${typeName}". Error: "${detail}"`,
    "CannotConvertArgumentNoMessage",
    command,
  );
}

function convertEnum(command: string, p: ParameterDefinition, value: unknown): string {
  const allowed = p.enumValues ?? [];
  if (value instanceof PSEnum) value = value.name;
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= 0 && value < allowed.length) return allowed[value];
  }
  const text = toPSString(value).trim();
  const match = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
  if (match) return match;
  const typeName = p.enumTypeName ?? "System.Enum";
  throw cannotConvert(
    command,
    p,
    value,
    typeName,
    `Unable to match the identifier name ${text} to a valid enumerator name. Specify one of the following enumerator names and try again:\n${allowed.join(", ")}`,
  );
}

/** Converts an argument to the parameter's declared type, failing as 5.1's binder does. */
function convertArgument(command: string, p: ParameterDefinition, value: unknown): unknown {
  if (p.enumValues) {
    if (p.type === "string[]" || p.type === "object[]") return enumerate(value).map((v) => convertEnum(command, p, v));
    if (Array.isArray(value) && value.length !== 1) {
      throw cannotConvert(
        command,
        p,
        value,
        dotnetTypeName(p),
        `Cannot convert the "System.Object[]" value of type "System.Object[]" to type "${dotnetTypeName(p)}".`,
      );
    }
    return convertEnum(command, p, Array.isArray(value) ? value[0] : value);
  }
  switch (p.type) {
    case "string":
      if (value === null || value === undefined) return null;
      return toPSString(value);
    case "string[]":
      if (value === null || value === undefined) return null;
      return enumerate(value).map(toPSString);
    case "int": {
      const items = enumerate(value);
      const n = items.length === 1 ? toNumber(items[0]) : undefined;
      if (n === undefined || !Number.isFinite(n)) {
        throw cannotConvert(command, p, value, "System.Int32", "Input string was not in a correct format.");
      }
      return Math.round(n);
    }
    case "bool":
    case "switch": {
      if (typeof value === "boolean") return value;
      if (typeof value === "number") return value !== 0;
      if (p.type === "switch" && (value === null || value === undefined)) return false;
      throw bindingError(
        `Cannot process argument transformation on parameter '${p.name}'. Cannot convert value "${typeNameOf(value)}" to type "System.Boolean". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`,
        "ParameterArgumentTransformationError",
        command,
      );
    }
    case "datetime": {
      if (value instanceof PSDateTime) return value;
      const parsed = typeof value === "string" ? parseDateTime(value) : undefined;
      if (!parsed) {
        throw cannotConvert(command, p, value, "System.DateTime", "String was not recognized as a valid DateTime.");
      }
      return parsed;
    }
    case "securestring":
      if (value instanceof PSSecureString || value === null || value === undefined) return value;
      throw bindingError(
        `Cannot bind parameter '${p.name}'. Cannot convert the "${toPSString(value)}" value of type "${typeNameOf(value)}" to type "System.Security.SecureString".`,
        "CannotConvertArgument",
        command,
      );
    case "object[]":
      return value === null || value === undefined ? value : enumerate(value);
    default:
      return value;
  }
}

function setCommon(common: CommonParameters, name: string, value: unknown, command: string): void {
  const asAction = (v: unknown) => {
    const text = v instanceof PSEnum ? v.name : toPSString(v);
    const match = ACTIONS.find((a) => a.toLowerCase() === text.toLowerCase());
    if (!match) {
      throw bindingError(
        `Cannot bind parameter '${name}'. Cannot convert value "${text}" to type "System.Management.Automation.ActionPreference". Error: "Unable to match the identifier name ${text} to a valid enumerator name. Specify one of the following enumerator names and try again:\n${ACTIONS.join(", ")}"`,
        "CannotConvertArgumentNoMessage",
        command,
      );
    }
    return match as CommonParameters["errorAction"];
  };
  switch (name) {
    case "Verbose":
      common.verbose = value !== false;
      break;
    case "Debug":
      common.debug = value !== false;
      break;
    case "WhatIf":
      common.whatIf = value !== false;
      break;
    case "Confirm":
      common.confirm = value !== false;
      break;
    case "ErrorAction":
      common.errorAction = asAction(value);
      break;
    case "WarningAction":
      common.warningAction = asAction(value);
      break;
    case "ErrorVariable":
      common.errorVariable = toPSString(value);
      break;
    case "WarningVariable":
      common.warningVariable = toPSString(value);
      break;
    case "OutVariable":
      common.outVariable = toPSString(value);
      break;
  }
}

/** What binding has gathered so far. */
interface BindingState {
  readonly command: CommandDefinition;
  readonly parameters: Record<string, unknown>;
  readonly common: CommonParameters;
  readonly bound: Set<string>;
}

type ParameterSet = CommandDefinition["parameterSets"][number];

/**
 * Binds a command's arguments. With `pipelineInput` set, that object is bound to the chosen set's
 * valueFromPipeline parameter (the caller invokes the command once per input object).
 */
export function bindParameters(
  command: CommandDefinition,
  args: readonly BoundArgument[],
  pipelineInput?: { value: unknown },
): BindingResult {
  const state: BindingState = {
    command,
    parameters: {},
    common: { verbose: false, debug: false, whatIf: false },
    bound: new Set<string>(),
  };
  const positional = bindNamed(state, args);
  // Sets that contain every parameter bound so far.
  let candidates = setsWithBound(state, command.parameterSets);
  if (candidates.length === 0) throw ambiguousSet(command);
  if (positional.length > 0) {
    bindPositional(state, positional, candidates);
    candidates = setsWithBound(state, candidates);
  }
  let pipelineParameter: ParameterDefinition | undefined;
  if (pipelineInput) {
    pipelineParameter = bindPipelineInput(state, pipelineInput.value, candidates);
    if (pipelineParameter)
      candidates = candidates.filter((s) => s.parameters.some((q) => q.name === pipelineParameter!.name));
  }
  const chosen = chooseSet(state, candidates);
  const missing = chosen.parameters.filter(
    (p) => p.mandatory && !state.bound.has(p.name) && !(p.valueFromPipeline && pipelineInput),
  );
  if (missing.length > 0) {
    throw bindingError(
      `Cannot process command because of one or more missing mandatory parameters: ${missing.map((p) => p.name).join(" ")}.`,
      "MissingMandatoryParameter",
      command.name,
    );
  }
  return { parameters: state.parameters, parameterSetName: chosen.name, common: state.common, pipelineParameter };
}

/** Binds `-Name value` and `-Name:value` arguments (and common parameters); returns the positional ones. */
function bindNamed(state: BindingState, args: readonly BoundArgument[]): unknown[] {
  const { command } = state;
  const positional: unknown[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.kind === "positional") {
      positional.push(arg.value);
      continue;
    }
    const target = resolveName(command, arg.name);
    const isSwitch = target.kind === "param" ? target.def.type === "switch" : target.type === "switch";
    let value: unknown;
    if (arg.hasValue) value = arg.value;
    else if (isSwitch) value = true;
    else {
      const next = args[i + 1];
      if (next?.kind !== "positional") {
        const typeName = target.kind === "param" ? dotnetTypeName(target.def) : "System.String";
        const name = target.kind === "param" ? target.def.name : target.name;
        throw bindingError(
          `Missing an argument for parameter '${name}'. Specify a parameter of type '${typeName}' and try again.`,
          "MissingArgument",
          command.name,
        );
      }
      value = next.value;
      i++;
    }
    if (target.kind === "common") setCommon(state.common, target.name, value, command.name);
    else bind(state, target.def, value);
  }
  return positional;
}

function bind(state: BindingState, def: ParameterDefinition, value: unknown): void {
  if (state.bound.has(def.name)) {
    throw bindingError(
      `Cannot bind parameter because parameter '${def.name}' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`,
      "ParameterAlreadyBound",
      state.command.name,
    );
  }
  state.parameters[def.name] = convertArgument(state.command.name, def, value);
  state.bound.add(def.name);
}

function setsWithBound(state: BindingState, sets: readonly ParameterSet[]): ParameterSet[] {
  return sets.filter((s) => [...state.bound].every((b) => s.parameters.some((p) => p.name === b)));
}

/** Positional arguments fill the lowest free positions of the candidate sets (the default set first). */
function bindPositional(state: BindingState, positional: unknown[], candidates: readonly ParameterSet[]): void {
  const ordered = [...candidates].sort((a, b) => Number(!!b.isDefault) - Number(!!a.isDefault));
  for (const value of positional) {
    let placed: ParameterDefinition | undefined;
    for (const set of ordered) {
      placed = set.parameters
        .filter((p) => p.position !== undefined && !state.bound.has(p.name))
        .sort((a, b) => a.position! - b.position!)[0];
      if (placed) break;
    }
    if (!placed) {
      throw bindingError(
        `A positional parameter cannot be found that accepts argument '${toPSString(value)}'.`,
        "PositionalParameterNotFound",
        state.command.name,
      );
    }
    bind(state, placed, value);
  }
}

/** Binds one pipeline object to the first candidate set's free valueFromPipeline parameter that converts it. */
function bindPipelineInput(
  state: BindingState,
  value: unknown,
  candidates: readonly ParameterSet[],
): ParameterDefinition | undefined {
  const withPipeline = candidates.filter((s) =>
    s.parameters.some((p) => p.valueFromPipeline && !state.bound.has(p.name)),
  );
  for (const set of withPipeline) {
    const p = set.parameters.find((q) => q.valueFromPipeline && !state.bound.has(q.name))!;
    try {
      state.parameters[p.name] = convertArgument(state.command.name, p, value);
    } catch {
      continue;
    }
    state.bound.add(p.name);
    return p;
  }
  if (withPipeline.length > 0) {
    throw bindingError(
      "The input object cannot be bound to any parameters for the command either because the command does not take pipeline input or the input and its properties do not match any of the parameters that take pipeline input.",
      "InputObjectNotBound",
      state.command.name,
    );
  }
  return undefined;
}

/** The one set left, else the satisfied one (the default first), else the one naming the most bound parameters. */
function chooseSet(state: BindingState, candidates: readonly ParameterSet[]): ParameterSet {
  if (candidates.length === 1) return candidates[0];
  const satisfied = candidates.filter((s) => s.parameters.every((p) => !p.mandatory || state.bound.has(p.name)));
  const pool = satisfied.length > 0 ? satisfied : candidates;
  let chosen = pool.length === 1 ? pool[0] : pool.find((s) => s.isDefault);
  if (!chosen && satisfied.length > 1) {
    // Sets that differ only by parameters nobody bound: prefer the one that names the most bound parameters.
    const score = (s: ParameterSet) => s.parameters.filter((p) => state.bound.has(p.name)).length;
    const best = Math.max(...pool.map(score));
    const top = pool.filter((s) => score(s) === best);
    if (top.length === 1) chosen = top[0];
  }
  if (!chosen) throw ambiguousSet(state.command);
  return chosen;
}

function ambiguousSet(command: CommandDefinition): PowerShellError {
  return bindingError(
    "Parameter set cannot be resolved using the specified named parameters.",
    "AmbiguousParameterSet",
    command.name,
  );
}

/** Whether a command takes pipeline input by value in any of its sets. */
export function takesPipelineInput(command: CommandDefinition): boolean {
  return command.parameterSets.some((s) => s.parameters.some((p) => p.valueFromPipeline));
}
