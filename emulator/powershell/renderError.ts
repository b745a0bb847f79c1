// Error text as Windows PowerShell 5.1 prints it for `powershell.exe -Command` (ConciseView does not exist
// in 5.1): "<command> : <message>", the "At line:L char:C" block with the line and a ~~~ underline, then
// the CategoryInfo and FullyQualifiedErrorId lines and a line holding one space.

import type { ParsedScript } from "./parser";
import { ErrorRecord, toPSString, typeNameOf } from "./runtimeValues";

function categoryTarget(record: ErrorRecord): string {
  const target = record.error.targetObject;
  if (target === undefined || target === null) return "(:)";
  return `(${toPSString(target)}:${typeNameOf(target).replace(/^.*\./, "")})`;
}

export function renderErrorRecord(record: ErrorRecord): string {
  const e = record.error;
  const exceptionType = (record.exceptionTypeName || "Exception").replace(/^.*\./, "");
  const category = `    + CategoryInfo          : ${e.category}: ${categoryTarget(record)} [${record.activity ?? record.commandName}], ${exceptionType}`;
  const id = `    + FullyQualifiedErrorId : ${e.fullyQualifiedErrorId}`;
  if (record.invocationText !== undefined) {
    // Write-Error in a script prints the invocation text as its prefix and no position.
    return `${record.invocationText} : ${e.message}\n${category}\n${id}\n \n`;
  }
  const prefix = record.commandName ? `${record.commandName} : ` : "";
  let text = `${prefix}${e.message}\n`;
  const p = record.position;
  if (p) {
    const underline =
      " ".repeat(Math.max(0, p.column - 1)) +
      "~".repeat(Math.max(1, Math.min(p.length, p.lineText.length - p.column + 1)));
    text += `At line:${p.line} char:${p.column}\n+ ${p.lineText}\n+ ${underline}\n`;
  }
  return `${text}${category}\n${id}\n \n`;
}

/** Syntax errors: PowerShell reports them all at once and runs nothing. */
export function renderParseErrors(parsed: ParsedScript): string {
  const lines = parsed.source.split(/\r?\n/);
  const first = parsed.errors[0];
  let text = "";
  for (const error of parsed.errors) {
    const lineText = lines[error.line - 1] ?? "";
    const underline = " ".repeat(Math.max(0, error.column - 1)) + "~".repeat(Math.max(1, error.length));
    text += `At line:${error.line} char:${error.column}\n+ ${lineText}\n+ ${underline}\n${error.message}\n`;
  }
  const id = parsed.errors.length === 1 ? first.errorId : first.errorId;
  text += `    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\n`;
  text += `    + FullyQualifiedErrorId : ${id}\n \n`;
  return text;
}
