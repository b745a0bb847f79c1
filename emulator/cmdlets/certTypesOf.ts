import { CERT_TYPES, type CertType } from "../lyncHost";
import { PSEnum } from "../powershell/values";
import { cmdletError } from "./cmdletError";

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
