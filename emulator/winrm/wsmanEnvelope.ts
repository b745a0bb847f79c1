// WS-Management SOAP 1.2 envelopes as the Windows Remote Shell speaks them (MS-WSMV): the header fields a
// request carries (Action, ResourceURI, MessageID, OperationTimeout, MaxEnvelopeSize, the ShellId
// selector, options) and the envelopes the service answers with. Parsed and built with fast-xml-parser;
// namespace prefixes are dropped on the way in, since clients choose their own.

import { randomUUID } from "node:crypto";
import { XMLBuilder, XMLParser } from "fast-xml-parser";

export const NS = {
  soap: "http://www.w3.org/2003/05/soap-envelope",
  addressing: "http://schemas.xmlsoap.org/ws/2004/08/addressing",
  transfer: "http://schemas.xmlsoap.org/ws/2004/09/transfer",
  wsman: "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
  msWsman: "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd",
  shell: "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
  wsmanFault: "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault",
} as const;

export const ANONYMOUS = `${NS.addressing}/role/anonymous`;

/** An XML element as fast-xml-parser gives it: text, or children and "@_"-prefixed attributes. */
export type XmlNode = string | { readonly [name: string]: XmlNode | XmlNode[] | undefined };

/** One request's envelope, namespace prefixes removed. */
export interface WsmanRequest {
  readonly action: string;
  readonly resourceUri: string;
  readonly messageId: string;
  /** w:OperationTimeout in milliseconds, when given. */
  readonly operationTimeoutMs?: number;
  /** w:MaxEnvelopeSize in bytes: the largest response the client takes. */
  readonly maxEnvelopeSize?: number;
  /** w:SelectorSet, by Name (e.g. ShellId). */
  readonly selectors: Readonly<Record<string, string>>;
  /** w:OptionSet, by Name (e.g. WINRS_SKIP_CMD_SHELL). */
  readonly options: Readonly<Record<string, string>>;
  /** The s:Body's children. */
  readonly body: Readonly<Record<string, XmlNode>>;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === "Selector" || name === "Option" || name === "Stream",
});

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

/** Reads a request envelope; undefined when the text is not a SOAP envelope with a header and a body. */
export function parseWsmanRequest(xml: string): WsmanRequest | undefined {
  let document: Record<string, XmlNode>;
  try {
    document = parser.parse(xml, true) as Record<string, XmlNode>;
  } catch {
    return undefined;
  }
  const envelope = document.Envelope;
  if (typeof envelope !== "object" || Array.isArray(envelope)) return undefined;
  const header = envelope.Header;
  const body = envelope.Body;
  if (typeof header !== "object" || Array.isArray(header)) return undefined;
  const timeout = textOf(header.OperationTimeout);
  const maxSize = textOf(header.MaxEnvelopeSize);
  return {
    action: textOf(header.Action),
    resourceUri: textOf(header.ResourceURI),
    messageId: textOf(header.MessageID),
    ...(timeout ? { operationTimeoutMs: parseDurationMs(timeout) } : {}),
    ...(maxSize && /^\d+$/.test(maxSize) ? { maxEnvelopeSize: Number(maxSize) } : {}),
    selectors: namedValues(childOf(header.SelectorSet, "Selector")),
    options: namedValues(childOf(header.OptionSet, "Option")),
    body: typeof body === "object" && !Array.isArray(body) ? (body as Record<string, XmlNode>) : {},
  };
}

/** The text of an element (with or without attributes); "" when absent. */
export function textOf(node: XmlNode | XmlNode[] | undefined): string {
  if (node === undefined) return "";
  if (Array.isArray(node)) return textOf(node[0]);
  if (typeof node === "string") return node.trim();
  const text = node["#text"];
  return typeof text === "string" ? text.trim() : "";
}

/** An attribute of an element ("" when absent). */
export function attributeOf(node: XmlNode | undefined, name: string): string {
  if (node === undefined || typeof node === "string") return "";
  const value = node[`@_${name}`];
  return typeof value === "string" ? value : "";
}

/** A child element, as a list (fast-xml-parser gives one child as an object, several as an array). */
export function childOf(node: XmlNode | XmlNode[] | undefined, name: string): XmlNode[] {
  if (node === undefined || typeof node === "string" || Array.isArray(node)) return [];
  const child = node[name];
  if (child === undefined) return [];
  return Array.isArray(child) ? child : [child];
}

function namedValues(nodes: readonly XmlNode[]): Record<string, string> {
  return Object.fromEntries(nodes.map((n) => [attributeOf(n, "Name"), textOf(n)]));
}

/** xs:duration as WS-Management sends it (PT60S, PT60.000S, P0DT0H1M0S) in milliseconds; NaN when unreadable. */
export function parseDurationMs(duration: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration.trim());
  if (!match || duration.trim() === "P" || duration.trim().endsWith("T")) return NaN;
  const [, days, hours, minutes, seconds] = match;
  return Math.round(
    ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes ?? 0)) * 60_000 + Number(seconds ?? 0) * 1000,
  );
}

/** Elements to place in a response envelope, keys with their prefixes ("rsp:ReceiveResponse"). */
export type XmlContent = Record<string, unknown>;

/** A response envelope answering `request`: the header Windows writes, then `body`. */
export function buildResponse(request: Pick<WsmanRequest, "messageId">, action: string, body: XmlContent): string {
  return buildEnvelope(
    {
      "a:Action": action,
      "a:MessageID": `uuid:${randomUUID().toUpperCase()}`,
      "a:To": ANONYMOUS,
      ...(request.messageId ? { "a:RelatesTo": request.messageId } : {}),
    },
    body,
  );
}

/** A whole envelope with the namespace declarations Windows puts on it. */
export function buildEnvelope(header: XmlContent, body: XmlContent): string {
  return builder.build({
    "s:Envelope": {
      "@_xml:lang": "en-US",
      "@_xmlns:s": NS.soap,
      "@_xmlns:a": NS.addressing,
      "@_xmlns:x": NS.transfer,
      "@_xmlns:w": NS.wsman,
      "@_xmlns:rsp": NS.shell,
      "@_xmlns:p": NS.msWsman,
      "s:Header": header,
      "s:Body": body,
    },
  }) as string;
}
