// What Windows PowerShell 5.1's console host writes to a redirected stderr when its error format is
// XML (-EncodedCommand, -Command -, -OutputFormat XML): `#< CLIXML` on its own line, then one
// <Objs> document holding, in order, each rendered error line (S="Error", with its CRLF: the host's
// WriteErrorLine adds it), each warning/verbose/debug message (no line end: WriteWarningLine and
// friends pass the bare message) and progress records (a PSCustomObject with SourceId and Record).
// Confirmed against PowerShell's ConsoleHost source (Serialization.cs WrappedSerializer,
// ConsoleHostUserInterface.cs); the progress record's member layout follows published 5.1 output. [guess]:
// whether 5.1 also writes a "Processing" progress record before "Completed" for module preparation.

import type { StreamRecord } from "./session";

const CLIXML_NAMESPACE = "http://schemas.microsoft.com/powershell/2004/04";

/** stderr in CLIXML; "" when there is nothing to write (the serializer writes its header on first use). */
export function encodeClixml(records: readonly StreamRecord[]): string {
  let raw = "";
  const items: string[] = [];
  let refId = 0;
  for (const record of records) {
    switch (record.stream) {
      case "native":
        // A child process writes to the inherited handle, outside this process's XML writer. [guess]: ordering.
        raw += record.text;
        break;
      case "error":
        for (const line of renderedLines(record.text)) items.push(`<S S="Error">${escapeClixml(line + "\r\n")}</S>`);
        break;
      case "warning":
      case "verbose":
      case "debug":
        items.push(`<S S="${record.stream}">${escapeClixml(record.text)}</S>`);
        break;
      case "progress": {
        const id = refId++;
        const typeNames =
          id === 0
            ? '<TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN>'
            : '<TNRef RefId="0" />';
        items.push(
          `<Obj S="progress" RefId="${id}">${typeNames}<MS><I64 N="SourceId">1</I64><PR N="Record">` +
            `<AV>${escapeClixml(record.activity)}</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T>` +
            `<SR>-1</SR><SD>${escapeClixml(record.status)}</SD></PR></MS></Obj>`,
        );
        break;
      }
    }
  }
  if (items.length === 0) return raw;
  return `${raw}#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="${CLIXML_NAMESPACE}">${items.join("")}</Objs>`;
}

// eslint-disable-next-line no-control-regex -- these are exactly the characters PowerShell writes as _xHHHH_
const CONTROL_CHARACTERS = /[\u0000-\u001F]/g;

/** XML-escapes text and writes control characters as `_xHHHH_` (an `_` before `x` as `_x005F_`, so it never reads as an escape). */
function escapeClixml(text: string): string {
  return text
    .replace(/_(?=[xX])/g, "_x005F_")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(CONTROL_CHARACTERS, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`);
}

/** The lines the console host writes one WriteErrorLine call each. */
function renderedLines(text: string): string[] {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
