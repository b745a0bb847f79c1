// SOAP over HTTPS to one WinRM listener, on one verified TLS connection kept open between requests:
// NTLM authenticates the connection, not each request, so after the handshake requests go without
// credentials until the server closes it. Requests are sent one at a time.

import * as https from "node:https";
import type { TLSSocket } from "node:tls";
import type { ConnectionInputs } from "./providerInputs";
import {
  basicAuthorization,
  challengeToken,
  ntlmAuthenticate,
  ntlmNegotiate,
  offeredSchemes,
  type WinrmAuthentication,
} from "./winrmAuthentication";
import { dialTls } from "./winrmTls";
import { parseFault } from "./wsmanEnvelopes";

/** The server refused the credentials (or the user may not use WinRM): no retry will fix it. */
export class WinrmAccessDeniedError extends Error {}

export interface WsmanClientOptions {
  readonly port: number;
  readonly authentication: WinrmAuthentication;
  readonly recordedIdentity?: string;
  readonly dialTimeoutMs: number;
  /** How long one HTTP exchange may take: the operation timeout plus a margin. */
  readonly requestTimeoutMs: number;
}

interface HttpAnswer {
  readonly status: number;
  readonly challenges: string[];
  readonly body: string;
}

/** What the server answers at most, per request: envelopes are far smaller (MaxEnvelopeSize). */
const ANSWER_LIMIT_BYTES = 8 * 1024 * 1024;

export class WsmanClient {
  private socket?: TLSSocket;
  private authenticated = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** The listener's certificate as the state records it; set by connect(). */
  identity = "";

  constructor(
    private readonly connection: ConnectionInputs,
    private readonly options: WsmanClientOptions,
  ) {}

  get url(): string {
    const host = this.connection.host.includes(":") ? `[${this.connection.host}]` : this.connection.host;
    return `https://${host}:${this.options.port}/wsman`;
  }

  /** Opens and verifies the TLS connection. */
  async connect(): Promise<void> {
    const recorded = this.identity || this.options.recordedIdentity;
    const { socket, identity } = await dialTls(
      this.connection,
      this.options.port,
      recorded,
      this.options.dialTimeoutMs,
    );
    this.socket?.destroy();
    this.socket = socket;
    this.identity = identity;
    this.authenticated = false;
    socket.on("error", () => undefined);
  }

  /** Posts one envelope and returns the answer's XML; a SOAP fault rejects as a WsmanFault. */
  post(envelope: string): Promise<string> {
    const next = this.queue.then(() => this.postNow(envelope));
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private async postNow(envelope: string): Promise<string> {
    let answer: HttpAnswer;
    try {
      answer = await this.authenticatedExchange(envelope);
    } catch (error) {
      // A kept connection the server closed while idle fails before the request is read: once more.
      if (!isStaleConnection(error)) throw error;
      await this.connect();
      answer = await this.authenticatedExchange(envelope);
    }
    if (answer.status === 200) return answer.body;
    const fault = parseFault(answer.body);
    if (fault) throw fault;
    throw new Error(
      `the WinRM listener answered HTTP ${answer.status}${answer.body ? `: ${answer.body.slice(0, 200)}` : ""}`,
    );
  }

  private async authenticatedExchange(envelope: string): Promise<HttpAnswer> {
    if (!this.socket || this.socket.destroyed) await this.connect();
    const { user = "", password = "" } = this.connection;
    if (this.options.authentication === "basic") {
      const answer = await this.exchange(envelope, basicAuthorization(user, password));
      if (answer.status === 401) throw this.refused("Basic", answer);
      return answer;
    }
    if (this.authenticated) {
      const answer = await this.exchange(envelope);
      if (answer.status !== 401) return answer;
      this.authenticated = false;
    }
    const first = await this.exchange(envelope, ntlmNegotiate());
    const challenge = challengeToken(first.challenges);
    if (first.status !== 401 || challenge === undefined) {
      if (first.status !== 401) return first;
      throw this.refused("NTLM", first);
    }
    const second = await this.exchange(envelope, ntlmAuthenticate(challenge, user, password));
    if (second.status === 401) throw this.refused("NTLM", second);
    this.authenticated = true;
    return second;
  }

  private refused(scheme: string, answer: HttpAnswer): WinrmAccessDeniedError {
    const offered = offeredSchemes(answer.challenges);
    const wanted = scheme === "NTLM" ? "negotiate" : "basic";
    const user = this.connection.user ?? "";
    if (offered.length > 0 && !offered.includes(wanted)) {
      return new WinrmAccessDeniedError(
        `the WinRM listener does not accept ${scheme} logons (it offers ${offered.join(", ")}); ` +
          (scheme === "NTLM"
            ? `enable Negotiate on the server (winrm set winrm/config/service/auth @{Negotiate="true"}) or set connection.authentication to "basic" for a local account`
            : `enable Basic on the server (winrm set winrm/config/service/auth @{Basic="true"}) or use authentication "ntlm"`),
      );
    }
    return new WinrmAccessDeniedError(
      `the server refused the ${scheme} logon of ${JSON.stringify(user)} (HTTP 401): check connection.user and connection.password` +
        (scheme === "Basic"
          ? '; Basic works for local accounts only, use authentication "ntlm" for a domain account'
          : ""),
    );
  }

  private exchange(envelope: string, authorization?: string): Promise<HttpAnswer> {
    const socket = this.socket!;
    const body = Buffer.from(envelope, "utf8");
    return new Promise<HttpAnswer>((resolve, reject) => {
      const request = https.request(
        {
          method: "POST",
          host: this.connection.host,
          port: this.options.port,
          path: "/wsman",
          headers: {
            "Content-Type": "application/soap+xml;charset=UTF-8",
            "Content-Length": body.length,
            "User-Agent": "pulumi-lync-certificates",
            Connection: "Keep-Alive",
            ...(authorization ? { Authorization: authorization } : {}),
          },
          createConnection: () => socket,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > ANSWER_LIMIT_BYTES) request.destroy(new Error("the WinRM answer is larger than 8 MB"));
            else chunks.push(chunk);
          });
          response.on("error", reject);
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 0,
              challenges: response.headersDistinct["www-authenticate"] ?? [],
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
        },
      );
      request.setTimeout(this.options.requestTimeoutMs, () =>
        request.destroy(new Error(`no answer within ${Math.round(this.options.requestTimeoutMs / 1000)} s`)),
      );
      request.on("error", (error) => {
        this.socket?.destroy();
        reject(error);
      });
      request.end(body);
    });
  }
}

function isStaleConnection(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ECONNRESET" || code === "EPIPE" || code === "ERR_STREAM_DESTROYED";
}
