// The parameters several cmdlets share, and the conversions binding leaves to them.

import { CERT_TYPES, CERT_TYPE_ENUM_NAME, type CertType } from "../lyncHost";
import type { ParameterDefinition } from "../powershell/command";
import { PSDateTime, PSEnum } from "../powershell/values";
import { cmdletError } from "./cmdletSupport";

/** -Type <CertType[]>: enum names bound case-insensitively to their canonical spelling. */
export function certTypeParameter(options: { mandatory?: boolean } = {}): ParameterDefinition {
  return {
    name: "Type",
    type: "string[]",
    enumValues: CERT_TYPES,
    enumTypeName: CERT_TYPE_ENUM_NAME,
    ...(options.mandatory ? { mandatory: true } : {}),
  };
}

/** -Type, -NetportId, -Report and -Identity, as Get-CsCertificate and Remove-CsCertificate take them. */
export function certificateUsageParameters(): ParameterDefinition[] {
  return [
    certTypeParameter(),
    { name: "NetportId", type: "string" },
    { name: "Report", type: "string" },
    // The help says position 2; it is the only positional parameter, so it binds the first positional argument.
    { name: "Identity", type: "string", position: 0 },
  ];
}

/** -EffectiveDate and -Roll, as Set-CsCertificate and Import-CsCertificate take them (see rollOptions). */
export const ROLL_PARAMETERS: readonly ParameterDefinition[] = [
  { name: "EffectiveDate", type: "datetime", aliases: ["EffectiveTime"] },
  { name: "Roll", type: "switch" },
];

/**
 * The bound -Type value as canonical CertType names, in the order given, without duplicates.
 * Accepts what binding may hand over: a string, an array, or CertType enum values piped from Get-CsCertificate.
 */
export function certTypesOf(value: unknown, cmdlet: string): CertType[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : [value];
  const types: CertType[] = [];
  for (const item of items.flat()) {
    const text = item instanceof PSEnum ? item.name : String(item);
    for (const part of text.split(",")) {
      const name = part.trim();
      if (name === "") continue;
      const canonical = CERT_TYPES.find((t) => t.toLowerCase() === name.toLowerCase());
      if (canonical === undefined) {
        // Binding normally rejects this first; the same text covers values that reach us unconverted.
        throw cmdletError(
          cmdlet,
          `Cannot bind parameter 'Type'. Cannot convert value "${name}" to type "Microsoft.Rtc.Management.Deployment.CertType". ` +
            `Error: "Unable to match the identifier name ${name} to a valid enumerator name. Specify one of the following ` +
            `enumerator names and try again: ${CERT_TYPES.join(", ")}"`,
          "CannotConvertArgumentNoMessage",
          "InvalidArgument",
          { prefix: false },
        );
      }
      if (!types.includes(canonical)) types.push(canonical);
    }
  }
  return types;
}

/**
 * -Roll and -EffectiveDate go together: the help says the command fails with -Roll alone, and an
 * -EffectiveDate without -Roll would stage nothing, so Lync rejects that too [guess: the texts are ours].
 */
export function rollOptions(
  cmdlet: string,
  parameters: Readonly<Record<string, unknown>>,
): { roll: boolean; effectiveDate?: Date } {
  const roll = parameters.Roll === true;
  const effectiveDate = dateParameterValue(cmdlet, "EffectiveDate", parameters.EffectiveDate);
  if (roll && effectiveDate === undefined) {
    throw cmdletError(
      cmdlet,
      'The Roll parameter requires the EffectiveDate parameter. Add -EffectiveDate "<date and time the certificate takes over>".',
      "RollRequiresEffectiveDate",
      "InvalidArgument",
    );
  }
  if (!roll && effectiveDate !== undefined) {
    throw cmdletError(
      cmdlet,
      "The EffectiveDate parameter can only be used with the Roll parameter. Add -Roll to stage the certificate, or omit -EffectiveDate.",
      "EffectiveDateRequiresRoll",
      "InvalidArgument",
    );
  }
  return effectiveDate === undefined ? { roll } : { roll, effectiveDate };
}

/**
 * A bound DateTime parameter as a Date. Binding normally converts it; a string that reaches us is parsed
 * the way .NET parses it on an en-US server ("7/31/2012 8:00 AM", month first) or as ISO 8601.
 * The emulated servers run on UTC, so a local time is a UTC time.
 */
export function dateParameterValue(cmdlet: string, parameter: string, value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof PSDateTime) return value.date;
  if (value instanceof Date) return value;
  const text = String(value).trim();
  const parsed = parseEnUsDate(text) ?? parseIsoDate(text);
  if (parsed === undefined) {
    throw cmdletError(
      cmdlet,
      `Cannot bind parameter '${parameter}'. Cannot convert value "${text}" to type "System.DateTime". ` +
        `Error: "String was not recognized as a valid DateTime."`,
      "CannotConvertArgumentNoMessage",
      "InvalidArgument",
      { prefix: false },
    );
  }
  return parsed;
}

function parseEnUsDate(text: string): Date | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i.exec(text);
  if (!m) return undefined;
  const [, month, day, year, hour = "0", minute = "0", second = "0", ampm] = m;
  let h = Number(hour);
  if (ampm) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (ampm.toUpperCase() === "PM" ? 12 : 0);
  }
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), h, Number(minute), Number(second)));
  // Reject 2/30 and friends instead of rolling them over as Date.UTC does.
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day) || h > 23) return undefined;
  return date;
}

function parseIsoDate(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(text))
    return undefined;
  // Without an offset .NET reads the time as local, which is UTC on the emulated servers.
  const withZone = /[T ]\d{2}:\d{2}/.test(text) && !/(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text;
  const date = new Date(withZone.includes("T") || !withZone.includes(" ") ? withZone : withZone.replace(" ", "T"));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A whole-number parameter of an emulator command, at least `min`; anything else fails naming the parameter. */
export function wholeNumberParameter(
  cmdlet: string,
  errorId: string,
  name: string,
  value: unknown,
  min: number,
): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw cmdletError(
      cmdlet,
      `-${name} must be a whole number of ${min} or more; got "${String(value)}".`,
      errorId,
      "InvalidArgument",
      { prefix: false },
    );
  }
  return n;
}
