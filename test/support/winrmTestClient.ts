// A minimal WinRM client for the emulator's tests: the Windows Remote Shell operations over HTTPS (or
// HTTP), authenticated with NTLM (@ewsjs/ntlm-client's messages inside Negotiate, on one keep-alive
// connection) or Basic. It reports what the server answered (status, fault code) rather than hiding it.

import { randomUUID } from "node:crypto";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { createType1Message, createType3Message, decodeType2Message } from "@ewsjs/ntlm-client";
import { XMLBuilder, XMLParser } from "fast-xml-parser";

export interface WinRmTestClientOptions {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly auth: "ntlm" | "basic";
  /** The emulator CA's root PEM; the server name checked is `serverName`. Without it, HTTP is used. */
  readonly ca?: string;
  /** @default "fe01.contoso.com" */
  readonly serverName?: string;
  /** w:OperationTimeout of Receive, e.g. "PT60S". @default "PT20S" */
  readonly operationTimeout?: string;
}

export interface WinRmResponse {
  readonly status: number;
  readonly headers: IncomingMessage["headers"];
  /** Each WWW-Authenticate header line (Node's headers join them with commas). */
  readonly wwwAuthenticate: readonly string[];
  readonly body: string;
  /** The WSManFault Code of a fault response. */
  readonly faultCode?: string;
  /** The s:Subcode of a fault response, e.g. "w:TimedOut". */
  readonly faultSubcode?: string;
}

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Thrown for any answer but 200, carrying it. */
export class WinRmError extends Error {
  constructor(readonly response: WinRmResponse) {
    super(`WinRM answered ${response.status}${response.faultCode ? ` (fault ${response.faultCode})` : ""}`);
  }
}

const NS = {
  s: "http://www.w3.org/2003/05/soap-envelope",
  a: "http://schemas.xmlsoap.org/ws/2004/08/addressing",
  w: "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
  rsp: "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
};
const SHELL_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd";
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", removeNSPrefix: true });

export class WinRmTestClient {
  private readonly agent: HttpAgent;
  private authenticated = false;

  constructor(private readonly options: WinRmTestClientOptions) {
    // One socket: NTLM authenticates the connection, not the request.
    this.agent = options.ca
      ? new HttpsAgent({ keepAlive: true, maxSockets: 1, ca: options.ca, servername: this.serverName })
      : new HttpAgent({ keepAlive: true, maxSockets: 1 });
  }

  private get serverName(): string {
    return this.options.serverName ?? "fe01.contoso.com";
  }

  close(): void {
    this.agent.destroy();
  }

  /** Opens a cmd shell; returns its ShellId. */
  async createShell(options: Record<string, string> = { WINRS_CODEPAGE: "65001" }): Promise<string> {
    const reply = await this.call("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", {}, options, {
      "rsp:Shell": { "rsp:InputStreams": "stdin", "rsp:OutputStreams": "stdout stderr" },
    });
    return String(find(reply, "ShellId"));
  }

  /** Starts a command; returns its CommandId. */
  async command(shellId: string, command: string, args: readonly string[], skipCmdShell = false): Promise<string> {
    const options = { WINRS_CONSOLEMODE_STDIN: "TRUE", WINRS_SKIP_CMD_SHELL: skipCmdShell ? "TRUE" : "FALSE" };
    const reply = await this.call(`${NS.rsp}/Command`, { ShellId: shellId }, options, {
      "rsp:CommandLine": { "rsp:Command": command, ...(args.length ? { "rsp:Arguments": [...args] } : {}) },
    });
    return String(find(reply, "CommandId"));
  }

  async send(shellId: string, commandId: string, data: string, end = true): Promise<void> {
    await this.call(
      `${NS.rsp}/Send`,
      { ShellId: shellId },
      {},
      {
        "rsp:Send": {
          "rsp:Stream": {
            "@_Name": "stdin",
            "@_CommandId": commandId,
            ...(end ? { "@_End": "true" } : {}),
            "#text": Buffer.from(data, "utf8").toString("base64"),
          },
        },
      },
    );
  }

  /** One Receive: the output so far, and the exit code once the command is done. */
  async receive(shellId: string, commandId: string): Promise<{ stdout: string; stderr: string; exitCode?: number }> {
    const reply = await this.call(
      `${NS.rsp}/Receive`,
      { ShellId: shellId },
      {},
      {
        "rsp:Receive": { "rsp:DesiredStream": { "@_CommandId": commandId, "#text": "stdout stderr" } },
      },
    );
    const response = find(reply, "ReceiveResponse") as Record<string, unknown>;
    const streams = ([] as Record<string, string>[]).concat((response.Stream as Record<string, string>[]) ?? []);
    const text = (name: string) =>
      Buffer.concat(
        streams.filter((s) => s["@_Name"] === name && s["#text"]).map((s) => Buffer.from(s["#text"], "base64")),
      ).toString("utf8");
    const state = response.CommandState as Record<string, unknown>;
    const exitCode = state.ExitCode === undefined ? undefined : Number(state.ExitCode);
    return { stdout: text("stdout"), stderr: text("stderr"), ...(exitCode === undefined ? {} : { exitCode }) };
  }

  async signal(shellId: string, commandId: string): Promise<void> {
    await this.call(
      `${NS.rsp}/Signal`,
      { ShellId: shellId },
      {},
      {
        "rsp:Signal": { "@_CommandId": commandId, "rsp:Code": `${NS.rsp}/signal/terminate` },
      },
    );
  }

  async deleteShell(shellId: string): Promise<void> {
    await this.call("http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete", { ShellId: shellId }, {}, {});
  }

  /** Runs a command with standard input to its end, receiving until it is done (retrying w:TimedOut). */
  async run(shellId: string, command: string, args: readonly string[], stdin = ""): Promise<CommandOutput> {
    const commandId = await this.command(shellId, command, args);
    await this.send(shellId, commandId, stdin, true);
    let stdout = "";
    let stderr = "";
    for (;;) {
      let part;
      try {
        part = await this.receive(shellId, commandId);
      } catch (error) {
        if (error instanceof WinRmError && error.response.faultCode === "2150858793") continue;
        throw error;
      }
      stdout += part.stdout;
      stderr += part.stderr;
      if (part.exitCode !== undefined) return { stdout, stderr, exitCode: part.exitCode };
    }
  }

  /** Sends one envelope (authenticating first when needed); throws WinRmError unless the answer is 200. */
  async call(
    action: string,
    selectors: Record<string, string>,
    options: Record<string, string>,
    body: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const response = await this.post(this.envelope(action, selectors, options, body));
    if (response.status !== 200) throw new WinRmError(response);
    return parser.parse(response.body) as Record<string, unknown>;
  }

  /** Posts raw text to /wsman, authenticating first when needed; returns whatever came back. */
  async post(text: string): Promise<WinRmResponse> {
    if (this.options.auth === "basic") {
      const token = Buffer.from(`${this.options.user}:${this.options.password}`).toString("base64");
      return this.exchange(text, `Basic ${token}`);
    }
    if (!this.authenticated) {
      const type1 = createType1Message("TESTCLIENT").replace(/^NTLM /, "Negotiate ");
      const challenge = await this.exchange(text, type1);
      const token = challenge.wwwAuthenticate.map((v) => /^Negotiate (\S+)/.exec(v)?.[1]).find(Boolean);
      if (challenge.status !== 401 || !token) return challenge;
      const type3 = createType3Message(
        decodeType2Message(token),
        this.options.user,
        this.options.password,
        "TESTCLIENT",
      );
      const answer = await this.exchange(text, type3.replace(/^NTLM /, "Negotiate "));
      this.authenticated = answer.status !== 401;
      return answer;
    }
    return this.exchange(text, undefined);
  }

  /** The SOAP envelope of one request, as this client sends it. */
  envelope(
    action: string,
    selectors: Record<string, string>,
    options: Record<string, string>,
    body: Record<string, unknown>,
  ): string {
    const header: Record<string, unknown> = {
      "a:To": `https://${this.serverName}:${this.options.port}/wsman`,
      "a:ReplyTo": { "a:Address": { "@_s:mustUnderstand": "true", "#text": `${NS.a}/role/anonymous` } },
      "a:Action": { "@_s:mustUnderstand": "true", "#text": action },
      "w:MaxEnvelopeSize": { "@_s:mustUnderstand": "true", "#text": "512000" },
      "a:MessageID": `uuid:${randomUUID()}`,
      "w:OperationTimeout": this.options.operationTimeout ?? "PT20S",
      "w:ResourceURI": { "@_s:mustUnderstand": "true", "#text": SHELL_URI },
    };
    const selectorList = Object.entries(selectors).map(([name, value]) => ({ "@_Name": name, "#text": value }));
    if (selectorList.length) header["w:SelectorSet"] = { "w:Selector": selectorList };
    const optionList = Object.entries(options).map(([name, value]) => ({ "@_Name": name, "#text": value }));
    if (optionList.length) header["w:OptionSet"] = { "w:Option": optionList };
    return builder.build({
      "s:Envelope": {
        "@_xmlns:s": NS.s,
        "@_xmlns:a": NS.a,
        "@_xmlns:w": NS.w,
        "@_xmlns:rsp": NS.rsp,
        "s:Header": header,
        "s:Body": body,
      },
    }) as string;
  }

  private exchange(text: string, authorization: string | undefined): Promise<WinRmResponse> {
    const send = this.options.ca ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const request = send(
        {
          host: "127.0.0.1",
          port: this.options.port,
          path: "/wsman",
          method: "POST",
          agent: this.agent,
          headers: {
            "Content-Type": "application/soap+xml;charset=UTF-8",
            ...(authorization ? { Authorization: authorization } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => resolve(describe(response, Buffer.concat(chunks).toString("utf8"))));
        },
      );
      request.on("error", reject);
      request.end(text);
    });
  }
}

function describe(response: IncomingMessage, body: string): WinRmResponse {
  const status = response.statusCode ?? 0;
  const raw = response.rawHeaders;
  const wwwAuthenticate = raw.filter((_, i) => i % 2 === 1 && raw[i - 1].toLowerCase() === "www-authenticate");
  const plain = { status, headers: response.headers, wwwAuthenticate, body };
  if (status !== 500 || !body) return plain;
  const fault = find(parser.parse(body) as Record<string, unknown>, "Fault") as Record<string, unknown>;
  const code = (fault?.Code as Record<string, Record<string, unknown>>)?.Subcode?.Value;
  const detail = find(fault, "WSManFault") as Record<string, string> | undefined;
  return { ...plain, faultCode: detail?.["@_Code"], faultSubcode: String(code) };
}

/** The first element named `name` anywhere in a parsed document. */
function find(node: unknown, name: string): unknown {
  if (typeof node !== "object" || node === null) return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key === name) return value;
    const inner = find(value, name);
    if (inner !== undefined) return inner;
  }
  return undefined;
}
