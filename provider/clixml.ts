// PowerShell 5.1 with -EncodedCommand and a redirected stderr writes its streams there as CLIXML
// (`<S S="Error">` lines, `_xHHHH_` escapes): this turns it back into the text a console shows.

import { XMLParser } from "fast-xml-parser";

const CLIXML_HEADER = "#< CLIXML";

/** The text of each stream in a CLIXML document; progress records are dropped. */
export interface StreamText {
  readonly error: string;
  readonly warning: string;
  /** Verbose, debug and information lines, in order. */
  readonly other: string;
}

/** True when stderr carries CLIXML rather than plain text. */
export function isClixml(stderr: string): boolean {
  return stderr.trimStart().startsWith(CLIXML_HEADER);
}

/** Decodes `_xHHHH_` escapes (PowerShell's XmlConvert-style encoding of control characters). */
export function decodeClixmlEscapes(text: string): string {
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
});

type OrderedNode = Record<string, unknown> & { ":@"?: Record<string, string> };

/** The streams of a CLIXML stderr; plain text (no header) is returned as the error stream. */
export function decodeClixml(stderr: string): StreamText {
  if (!isClixml(stderr)) return { error: stderr, warning: "", other: "" };
  const streams = { error: "", warning: "", other: "" };
  // Several documents may follow one another (one per flush); each starts with <Objs.
  const body = stderr.trimStart().slice(CLIXML_HEADER.length);
  for (const document of body.split(/(?=<Objs[\s>])/)) {
    if (!document.trim().startsWith("<Objs")) continue;
    let nodes: OrderedNode[];
    try {
      nodes = parser.parse(document) as OrderedNode[];
    } catch {
      streams.error += "(unreadable CLIXML from PowerShell)\n";
      continue;
    }
    for (const objs of nodes) {
      for (const node of (objs.Objs as OrderedNode[] | undefined) ?? []) {
        if (!("S" in node)) continue;
        const kind = (node[":@"]?.S ?? "").toLowerCase();
        // Error records carry their own CRLF per line; warnings, verbose and debug records are bare messages.
        const raw = decodeClixmlEscapes(textOf(node.S as OrderedNode[]));
        const text = raw.endsWith("\n") ? raw : `${raw}\r\n`;
        if (kind === "error") streams.error += text;
        else if (kind === "warning") streams.warning += text;
        else streams.other += text;
      }
    }
  }
  return streams;
}

function textOf(children: readonly OrderedNode[]): string {
  return children.map((child) => (typeof child["#text"] === "string" ? child["#text"] : "")).join("");
}
