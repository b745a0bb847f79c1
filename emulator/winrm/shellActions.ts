// The WS-Management actions of the cmd shell resource, each turned into a call on the remote shell host
// and answered with the envelope Windows sends (MS-WSMV 3.1.4.1 and the Windows Remote Shell section).

import type { Login } from "../remoteProcess";
import type { RemoteShellHost } from "./remoteShell";
import { attributeOf, buildResponse, childOf, textOf, NS, type WsmanRequest, type XmlContent } from "./wsmanEnvelope";
import { actionNotSupported, invalidRequest, invalidTimeout, resourceNotFound } from "./wsmanFault";

export const CMD_SHELL_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd";

const ACTION = {
  create: `${NS.transfer}/Create`,
  delete: `${NS.transfer}/Delete`,
  command: `${NS.shell}/Command`,
  send: `${NS.shell}/Send`,
  receive: `${NS.shell}/Receive`,
  signal: `${NS.shell}/Signal`,
} as const;

const COMMAND_STATE = `${NS.shell}/CommandState`;

/** The service's limits on a request. */
export interface ShellServiceLimits {
  /** MaxTimeoutms: the longest OperationTimeout honoured. @default 60000 */
  readonly maxTimeoutMs: number;
  /** What the endpoint calls itself in a ResourceCreated address. */
  readonly address: string;
}

/** The client's MaxEnvelopeSize when it gives none: WinRM's own client default (150 KB). */
const DEFAULT_CLIENT_ENVELOPE = 153_600;
/** Room in a Receive response for everything but the base64 streams. */
const RESPONSE_OVERHEAD = 4_096;

/** Runs one request against the shells; throws a WsmanFault for anything Windows would refuse. */
export async function performShellAction(
  shells: RemoteShellHost,
  login: Login,
  request: WsmanRequest,
  limits: ShellServiceLimits,
): Promise<string> {
  if (request.resourceUri !== CMD_SHELL_URI) throw resourceNotFound(request.resourceUri);
  const shellId = request.selectors.ShellId ?? "";
  const respond = (name: string, body: XmlContent) => buildResponse(request, `${name}Response`, body);
  switch (request.action) {
    case ACTION.create: {
      const codePage = Number(request.options.WINRS_CODEPAGE ?? "437");
      const id = shells.create(login, Number.isInteger(codePage) ? codePage : 437);
      return respond(ACTION.create, created(id, limits.address));
    }
    case ACTION.command: {
      const line = childOf(request.body.CommandLine, "Command").concat(childOf(request.body.CommandLine, "Arguments"));
      if (line.length === 0) throw invalidRequest("rsp:CommandLine has no rsp:Command");
      const skipCmdShell = (request.options.WINRS_SKIP_CMD_SHELL ?? "").toUpperCase() === "TRUE";
      const id = shells.command(login, shellId, line.map((n) => textOf(n)).join(" "), skipCmdShell);
      return respond(ACTION.command, { "rsp:CommandResponse": { "rsp:CommandId": id } });
    }
    case ACTION.send:
      for (const stream of childOf(request.body.Send, "Stream")) {
        const data = Buffer.from(textOf(stream), "base64");
        const end = attributeOf(stream, "End").toLowerCase() === "true";
        shells.send(login, shellId, attributeOf(stream, "CommandId"), data, end);
      }
      return respond(ACTION.send, { "rsp:SendResponse": "" });
    case ACTION.receive:
      return respond(ACTION.receive, await receive(shells, login, request, limits));
    case ACTION.signal: {
      const commandId = attributeOf(childOf(request.body, "Signal")[0], "CommandId");
      shells.signal(login, shellId, commandId);
      return respond(ACTION.signal, { "rsp:SignalResponse": "" });
    }
    case ACTION.delete:
      shells.delete(login, shellId);
      return respond(ACTION.delete, {});
    default:
      throw actionNotSupported(request.action);
  }
}

async function receive(
  shells: RemoteShellHost,
  login: Login,
  request: WsmanRequest,
  limits: ShellServiceLimits,
): Promise<XmlContent> {
  const desired = childOf(request.body.Receive, "DesiredStream")[0];
  const commandId = attributeOf(desired, "CommandId");
  const timeout = request.operationTimeoutMs ?? limits.maxTimeoutMs;
  if (Number.isNaN(timeout) || timeout <= 0) throw invalidTimeout(String(request.operationTimeoutMs));
  const envelope = request.maxEnvelopeSize ?? DEFAULT_CLIENT_ENVELOPE;
  const maxBytes = Math.max(1024, Math.floor(((envelope - RESPONSE_OVERHEAD) * 3) / 4));
  const output = await shells.receive(
    login,
    request.selectors.ShellId ?? "",
    commandId,
    Math.min(timeout, limits.maxTimeoutMs),
    maxBytes,
  );
  const done = output.exitCode !== undefined;
  const stream = (name: string, data: Buffer) => [
    ...(data.length > 0 ? [{ "@_Name": name, "@_CommandId": commandId, "#text": data.toString("base64") }] : []),
    ...(done ? [{ "@_Name": name, "@_CommandId": commandId, "@_End": "true" }] : []),
  ];
  return {
    "rsp:ReceiveResponse": {
      "rsp:Stream": [...stream("stdout", output.stdout), ...stream("stderr", output.stderr)],
      "rsp:CommandState": {
        "@_CommandId": commandId,
        "@_State": `${COMMAND_STATE}/${done ? "Done" : "Running"}`,
        ...(done ? { "rsp:ExitCode": String(output.exitCode) } : {}),
      },
    },
  };
}

function created(shellId: string, address: string): XmlContent {
  return {
    "x:ResourceCreated": {
      "a:Address": address,
      "a:ReferenceParameters": {
        "w:ResourceURI": CMD_SHELL_URI,
        "w:SelectorSet": { "w:Selector": { "@_Name": "ShellId", "#text": shellId } },
      },
    },
    "rsp:Shell": {
      "rsp:ShellId": shellId,
      "rsp:ResourceUri": CMD_SHELL_URI,
      "rsp:InputStreams": "stdin",
      "rsp:OutputStreams": "stdout stderr",
    },
  };
}
