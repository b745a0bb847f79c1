import assert from "node:assert/strict";
import { XMLParser } from "fast-xml-parser";
import fc from "fast-check";
import {
  ACTIONS,
  commandRequest,
  createShellRequest,
  deleteShellRequest,
  parseCommandId,
  parseFault,
  parseReceive,
  parseShellId,
  receiveRequest,
  sendChunkBytes,
  sendRequest,
  signalRequest,
  WsmanFault,
} from "pulumi-lync-certificates/dist/wsmanEnvelopes";

const context = { to: "https://fe01.contoso.com:5986/wsman", maxEnvelopeSize: 153600, operationTimeoutSeconds: 20 };
const SHELL_ID = "11111111-2222-3333-4444-555555555555";
const COMMAND_ID = "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE";
const reader = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
});

function header(xml: string) {
  return reader.parse(xml).Envelope.Header;
}

// Answers as Windows writes them (MS-WSMV 4.1.x examples, namespaces as Windows prefixes them).
const ENVELOPE = (body: string) =>
  `<s:Envelope xml:lang="en-US" xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"><s:Header><a:Action>x</a:Action></s:Header><s:Body>${body}</s:Body></s:Envelope>`;

describe("wsmanEnvelopes", () => {
  it("addresses every request to the cmd shell resource with its action, timeout and envelope limit", () => {
    const requests = {
      [ACTIONS.create]: createShellRequest(context, 900),
      [ACTIONS.command]: commandRequest(context, SHELL_ID, "powershell.exe -NoProfile"),
      [ACTIONS.send]: sendRequest(context, SHELL_ID, COMMAND_ID, Buffer.from("x"), true),
      [ACTIONS.receive]: receiveRequest(context, SHELL_ID, COMMAND_ID),
      [ACTIONS.signal]: signalRequest(context, SHELL_ID, COMMAND_ID),
      [ACTIONS.delete]: deleteShellRequest(context, SHELL_ID),
    };
    const messageIds = new Set<string>();
    for (const [action, xml] of Object.entries(requests)) {
      const h = header(xml);
      assert.equal(h.Action["#text"], action);
      assert.equal(h.ResourceURI["#text"], "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd");
      assert.equal(h.To, context.to);
      assert.equal(h.OperationTimeout, "PT20S");
      assert.equal(h.MaxEnvelopeSize["#text"], "153600");
      messageIds.add(h.MessageID);
      if (action !== ACTIONS.create) assert.equal(h.SelectorSet.Selector["#text"], SHELL_ID, action);
    }
    assert.equal(messageIds.size, 6, "each request has its own MessageID");
  });

  it("carries the command line and stdin as written, whatever characters they hold", () => {
    fc.assert(
      fc.property(fc.string(), fc.uint8Array({ maxLength: 300 }), (line, bytes) => {
        const command = reader.parse(commandRequest(context, SHELL_ID, line)).Envelope.Body.CommandLine.Command;
        assert.equal(command ?? "", line);
        const stream = reader.parse(sendRequest(context, SHELL_ID, COMMAND_ID, Buffer.from(bytes), false)).Envelope.Body
          .Send.Stream;
        assert.deepEqual(Buffer.from(String(stream["#text"] ?? ""), "base64"), Buffer.from(bytes));
        assert.equal(stream["@End"], undefined);
      }),
    );
  });

  it("sizes stdin chunks so that every Send envelope stays within MaxEnvelopeSize", () => {
    fc.assert(
      fc.property(fc.integer({ min: 4096, max: 600_000 }), (maxEnvelopeSize) => {
        const limited = { ...context, maxEnvelopeSize };
        const chunk = Buffer.alloc(sendChunkBytes(limited), 0xff);
        assert.ok(Buffer.byteLength(sendRequest(limited, SHELL_ID, COMMAND_ID, chunk, true)) <= maxEnvelopeSize);
      }),
      { numRuns: 40 },
    );
  });

  it("reads the ShellId from the body or from the created reference's selector", () => {
    assert.equal(parseShellId(ENVELOPE(`<rsp:Shell><rsp:ShellId>${SHELL_ID}</rsp:ShellId></rsp:Shell>`)), SHELL_ID);
    assert.equal(
      parseShellId(
        ENVELOPE(
          `<x:ResourceCreated xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer"><a:Address>${context.to}</a:Address><a:ReferenceParameters><w:ResourceURI>u</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">${SHELL_ID}</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>`,
        ),
      ),
      SHELL_ID,
    );
    assert.throws(() => parseShellId(ENVELOPE("")), /no ShellId/);
  });

  it("reads the CommandId of a Command answer", () => {
    const xml = ENVELOPE(`<rsp:CommandResponse><rsp:CommandId>${COMMAND_ID}</rsp:CommandId></rsp:CommandResponse>`);
    assert.equal(parseCommandId(xml), COMMAND_ID);
  });

  it("joins a Receive's stream chunks in order and reads the exit code once the command is done", () => {
    const b64 = (text: string) => Buffer.from(text).toString("base64");
    const running = ENVELOPE(
      `<rsp:ReceiveResponse><rsp:Stream Name="stdout" CommandId="${COMMAND_ID}">${b64("one ")}</rsp:Stream><rsp:Stream Name="stderr" CommandId="${COMMAND_ID}">${b64("#< CLIXML")}</rsp:Stream><rsp:Stream Name="stdout" CommandId="${COMMAND_ID}">${b64("two")}</rsp:Stream><rsp:CommandState CommandId="${COMMAND_ID}" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"/></rsp:ReceiveResponse>`,
    );
    const first = parseReceive(running);
    assert.equal(first.stdout.toString(), "one two");
    assert.equal(first.stderr.toString(), "#< CLIXML");
    assert.equal(first.exitCode, undefined);
    const done = ENVELOPE(
      `<rsp:ReceiveResponse><rsp:Stream Name="stdout" CommandId="${COMMAND_ID}" End="true"></rsp:Stream><rsp:CommandState CommandId="${COMMAND_ID}" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done"><rsp:ExitCode>3</rsp:ExitCode></rsp:CommandState></rsp:ReceiveResponse>`,
    );
    assert.equal(parseReceive(done).exitCode, 3);
  });

  it("turns a SOAP fault into a WsmanFault with its subcode, code and Windows's message", () => {
    const fault = ENVELOPE(
      `<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:TimedOut</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">The WS-Management service cannot complete the operation within the time specified in OperationTimeout.</s:Text></s:Reason><s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="2150858793" Machine="fe01"><f:Message>The WS-Management service cannot complete the operation within the time specified in OperationTimeout.</f:Message></f:WSManFault></s:Detail></s:Fault>`,
    );
    const parsed = parseFault(fault);
    assert.ok(parsed instanceof WsmanFault);
    assert.equal(parsed.subcode, "TimedOut");
    assert.equal(parsed.code, "2150858793");
    assert.ok(parsed.timedOut);
    assert.match(parsed.message, /OperationTimeout/);
    assert.throws(() => parseReceive(fault), WsmanFault);
    assert.equal(parseFault(ENVELOPE("<rsp:CommandResponse/>")), undefined);
  });
});
