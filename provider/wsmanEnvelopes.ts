// The SOAP envelopes of the Windows Remote Shell over WS-Management (MS-WSMV): what the provider
// sends for Create, Command, Send, Receive, Signal and Delete, and what it reads from the answers.
// Pure: no I/O, so the shapes are tested without a server.

import { randomUUID } from "node:crypto";
import { XMLBuilder, XMLParser } from "fast-xml-parser";

const NS = {
  s: "http://www.w3.org/2003/05/soap-envelope",
  a: "http://schemas.xmlsoap.org/ws/2004/08/addressing",
  w: "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
  p: "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd",
  rsp: "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
};

const SHELL_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
export const CMD_RESOURCE_URI = `${SHELL_URI}/cmd`;
export const ACTIONS = {
  create: "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create",
  delete: "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete",
  command: `${SHELL_URI}/Command`,
  send: `${SHELL_URI}/Send`,
  receive: `${SHELL_URI}/Receive`,
  signal: `${SHELL_URI}/Signal`,
} as const;
const COMMAND_DONE = `${SHELL_URI}/CommandState/Done`;
const SIGNAL_TERMINATE = `${SHELL_URI}/signal/terminate`;
const ANONYMOUS = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";

/** The WSManFault code of w:TimedOut: a Receive that had nothing to say within OperationTimeout. */
export const TIMED_OUT_CODE = "2150858793";

/** What every request of one shell shares. */
export interface EnvelopeContext {
  /** The listener's URL, e.g. https://fe01.contoso.com:5986/wsman. */
  readonly to: string;
  /** Bytes; the server refuses an answer it would have to make larger. */
  readonly maxEnvelopeSize: number;
  /** Seconds the server may take before answering w:TimedOut. */
  readonly operationTimeoutSeconds: number;
}

// suppressBooleanAttributes would write mustUnderstand="true" as a bare attribute, which is not XML.
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

type XmlNode = Record<string, unknown>;

function envelope(
  context: EnvelopeContext,
  action: string,
  body: XmlNode | "",
  extra: { readonly shellId?: string; readonly options?: Record<string, string> } = {},
): string {
  const mustUnderstand = (text: string | number) => ({ "@s:mustUnderstand": "true", "#text": String(text) });
  const header: XmlNode = {
    "a:To": context.to,
    "a:ReplyTo": { "a:Address": mustUnderstand(ANONYMOUS) },
    "w:MaxEnvelopeSize": mustUnderstand(context.maxEnvelopeSize),
    "a:MessageID": `uuid:${randomUUID().toUpperCase()}`,
    "w:Locale": { "@xml:lang": "en-US", "@s:mustUnderstand": "false" },
    "p:DataLocale": { "@xml:lang": "en-US", "@s:mustUnderstand": "false" },
    "w:OperationTimeout": `PT${context.operationTimeoutSeconds}S`,
    "w:ResourceURI": mustUnderstand(CMD_RESOURCE_URI),
    "a:Action": mustUnderstand(action),
  };
  if (extra.shellId !== undefined)
    header["w:SelectorSet"] = { "w:Selector": { "@Name": "ShellId", "#text": extra.shellId } };
  if (extra.options) {
    header["w:OptionSet"] = {
      "w:Option": Object.entries(extra.options).map(([name, value]) => ({ "@Name": name, "#text": value })),
    };
  }
  const namespaces = Object.fromEntries(Object.entries(NS).map(([prefix, uri]) => [`@xmlns:${prefix}`, uri]));
  return builder.build({ "s:Envelope": { ...namespaces, "s:Header": header, "s:Body": body } });
}

/** Create: a cmd shell with stdin, stdout and stderr, UTF-8 (code page 65001), no user profile. */
export function createShellRequest(context: EnvelopeContext, idleTimeoutSeconds: number): string {
  return envelope(
    context,
    ACTIONS.create,
    {
      "rsp:Shell": {
        "rsp:InputStreams": "stdin",
        "rsp:OutputStreams": "stdout stderr",
        "rsp:IdleTimeOut": `PT${idleTimeoutSeconds}S`,
      },
    },
    { options: { WINRS_NOPROFILE: "TRUE", WINRS_CODEPAGE: "65001" } },
  );
}

/** Command: one command line in the shell; stdin is a pipe, as over SSH. */
export function commandRequest(context: EnvelopeContext, shellId: string, commandLine: string): string {
  return envelope(
    context,
    ACTIONS.command,
    { "rsp:CommandLine": { "rsp:Command": commandLine } },
    { shellId, options: { WINRS_CONSOLEMODE_STDIN: "FALSE", WINRS_SKIP_CMD_SHELL: "FALSE" } },
  );
}

/** Send: one chunk of standard input; `end` closes the stream. */
export function sendRequest(
  context: EnvelopeContext,
  shellId: string,
  commandId: string,
  chunk: Buffer,
  end: boolean,
): string {
  const stream: XmlNode = { "@Name": "stdin", "@CommandId": commandId, "#text": chunk.toString("base64") };
  if (end) stream["@End"] = "true";
  return envelope(context, ACTIONS.send, { "rsp:Send": { "rsp:Stream": stream } }, { shellId });
}

/** How many bytes of stdin fit in one Send envelope of `maxEnvelopeSize` bytes (base64 grows 4/3). */
export function sendChunkBytes(context: EnvelopeContext): number {
  const overhead = Buffer.byteLength(sendRequest(context, "0".repeat(36), "0".repeat(36), Buffer.alloc(0), true));
  const room = context.maxEnvelopeSize - overhead - 64;
  if (room < 4) throw new Error(`MaxEnvelopeSize ${context.maxEnvelopeSize} leaves no room for standard input`);
  return Math.floor(room / 4) * 3;
}

/** Receive: the output of one command so far; answered at the latest after OperationTimeout. */
export function receiveRequest(context: EnvelopeContext, shellId: string, commandId: string): string {
  return envelope(
    context,
    ACTIONS.receive,
    { "rsp:Receive": { "rsp:DesiredStream": { "@CommandId": commandId, "#text": "stdout stderr" } } },
    { shellId, options: { WSMAN_CMDSHELL_OPTION_KEEPALIVE: "TRUE" } },
  );
}

/** Signal terminate: stops a command that is still running. */
export function signalRequest(context: EnvelopeContext, shellId: string, commandId: string): string {
  return envelope(
    context,
    ACTIONS.signal,
    { "rsp:Signal": { "@CommandId": commandId, "rsp:Code": SIGNAL_TERMINATE } },
    { shellId },
  );
}

/** Delete: closes the shell and ends what still runs in it. */
export function deleteShellRequest(context: EnvelopeContext, shellId: string): string {
  return envelope(context, ACTIONS.delete, "", { shellId });
}

// ---- answers ----

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === "Stream" || name === "Selector",
});

/** A SOAP fault the server answered with. */
export class WsmanFault extends Error {
  constructor(
    /** The WS-Management subcode without its prefix, e.g. "TimedOut", "AccessDenied". */
    readonly subcode: string,
    /** The WSManFault code, e.g. "2150858793". */
    readonly code: string | undefined,
    readonly reason: string,
  ) {
    super(`${reason.trim() || subcode}${code ? ` (${subcode} ${code})` : ` (${subcode})`}`);
    this.name = "WsmanFault";
  }

  get timedOut(): boolean {
    return this.subcode === "TimedOut" || this.code === TIMED_OUT_CODE;
  }
}

function text(node: unknown): string {
  if (node === undefined || node === null) return "";
  if (typeof node === "string") return node;
  if (Array.isArray(node)) return node.map(text).join(" ");
  if (typeof node === "object") return text((node as XmlNode)["#text"]);
  return String(node);
}

function body(xml: string): XmlNode {
  let parsed: XmlNode;
  try {
    parsed = parser.parse(xml) as XmlNode;
  } catch (error) {
    throw new Error(`the WinRM answer is not XML: ${(error as Error).message}`, { cause: error });
  }
  const found = (parsed.Envelope as XmlNode | undefined)?.Body as XmlNode | string | undefined;
  if (found === undefined) throw new Error("the WinRM answer is not a SOAP envelope");
  const result = typeof found === "object" ? found : {};
  if (result.Fault) throw faultOf(result.Fault as XmlNode);
  return result;
}

function faultOf(fault: XmlNode): WsmanFault {
  const code = fault.Code as XmlNode | undefined;
  const subcode = text((code?.Subcode as XmlNode | undefined)?.Value) || text(code?.Value);
  const detail = (fault.Detail as XmlNode | undefined)?.WSManFault as XmlNode | undefined;
  const message = text((detail?.Message as XmlNode | undefined)?.ProviderFault) || text(detail?.Message);
  const reason = text((fault.Reason as XmlNode | undefined)?.Text);
  return new WsmanFault(subcode.replace(/^.*:/, ""), detail?.["@Code"] as string | undefined, message || reason);
}

/** The SOAP fault in an answer, if it is one (HTTP 500 carries faults). */
export function parseFault(xml: string): WsmanFault | undefined {
  try {
    body(xml);
    return undefined;
  } catch (error) {
    return error instanceof WsmanFault ? error : undefined;
  }
}

/** The ShellId of a Create answer: in the body's Shell, or as the selector of the created reference. */
export function parseShellId(xml: string): string {
  const answer = body(xml);
  const fromBody = text((answer.Shell as XmlNode | undefined)?.ShellId);
  if (fromBody) return fromBody;
  const selectors = ((answer.ResourceCreated as XmlNode | undefined)?.ReferenceParameters as XmlNode | undefined)
    ?.SelectorSet as XmlNode | undefined;
  const selector = ((selectors?.Selector as XmlNode[] | undefined) ?? []).find((s) => s["@Name"] === "ShellId");
  const id = text(selector);
  if (!id) throw new Error("the WinRM Create answer holds no ShellId");
  return id;
}

export function parseCommandId(xml: string): string {
  const id = text((body(xml).CommandResponse as XmlNode | undefined)?.CommandId);
  if (!id) throw new Error("the WinRM Command answer holds no CommandId");
  return id;
}

export interface ReceivedOutput {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  /** Set once the command is done. */
  readonly exitCode?: number;
}

export function parseReceive(xml: string): ReceivedOutput {
  const answer = body(xml).ReceiveResponse as XmlNode | undefined;
  if (!answer) throw new Error("the WinRM Receive answer holds no ReceiveResponse");
  const chunks: Record<string, Buffer[]> = { stdout: [], stderr: [] };
  for (const stream of (answer.Stream as XmlNode[] | undefined) ?? []) {
    const name = stream["@Name"] as string;
    const data = text(stream);
    if (chunks[name] && data) chunks[name].push(Buffer.from(data, "base64"));
  }
  const state = answer.CommandState as XmlNode | undefined;
  const done = state?.["@State"] === COMMAND_DONE;
  const exitCode = done ? Number(text(state?.ExitCode) || "0") : undefined;
  return { stdout: Buffer.concat(chunks.stdout), stderr: Buffer.concat(chunks.stderr), exitCode };
}
