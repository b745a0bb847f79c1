import type { ParameterDefinition } from "../powershell/command";
import { CERT_TYPES, CERT_TYPE_ENUM_NAME } from "../lyncHost";

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
