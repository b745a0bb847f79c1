// One emulated server's WinRM service: an HTTPS listener (Windows' 5986) with a certificate for the
// server's FQDN, and an HTTP listener (5985) as Windows keeps it with AllowUnencrypted = false: it
// authenticates, then refuses every unencrypted SOAP body with HTTP 500 (message encryption over HTTP
// is not modelled) and never offers Basic. Both serve POST /wsman with the cmd shell resource.

import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { RemoteProcessOptions } from "../remoteProcess";
import type { EmulatorUser } from "../sshFrontDoor";
import { ConnectionAuthentication, type AuthenticationPolicy } from "./httpAuthentication";
import type { ListenerCertificate } from "./listenerCertificate";
import type { NtlmServerNames } from "./ntlmServer";
import { ClientCutError, RemoteShellHost } from "./remoteShell";
import { performShellAction } from "./shellActions";
import { parseWsmanRequest, type WsmanRequest } from "./wsmanEnvelope";
import { accessDenied, envelopeTooLarge, invalidRequest, unencryptedRefused, WsmanFault } from "./wsmanFault";

export interface WinRmListenerOptions extends RemoteProcessOptions {
  readonly users: readonly EmulatorUser[];
  readonly certificate: ListenerCertificate;
  /** Service Auth/Basic (local accounts, HTTPS only). Windows' default is false. @default true */
  readonly basic?: boolean;
  /** MaxEnvelopeSizekb: the largest request the service reads. @default 500 */
  readonly maxEnvelopeSizeKb?: number;
  /** MaxTimeoutms: the longest OperationTimeout honoured. @default 60000 */
  readonly maxTimeoutMs?: number;
}

const SERVER_HEADER = "Microsoft-HTTPAPI/2.0";
const SOAP_CONTENT_TYPE = "application/soap+xml;charset=UTF-8";
/** HTTP.sys drops a connection idle this long (IdleConnectionTimeout, 120 s). */
const IDLE_CONNECTION_MS = 120_000;

export class WinRmListener {
  private readonly sockets = new Set<Socket>();
  private readonly authentications = new WeakMap<Socket, ConnectionAuthentication>();
  private readonly shells: RemoteShellHost;
  private readonly names: NtlmServerNames;

  private constructor(
    private readonly options: WinRmListenerOptions,
    private readonly https: Server,
    private readonly http: Server,
  ) {
    this.shells = new RemoteShellHost(options);
    const fqdn = options.server.fqdn;
    const [computer, ...domain] = fqdn.split(".");
    const dnsDomain = domain.join(".");
    this.names = {
      netbiosComputer: computer.toUpperCase(),
      netbiosDomain: (dnsDomain.split(".")[0] ?? "").toUpperCase(),
      dnsDomain,
      dnsComputer: fqdn,
    };
  }

  readonly host = "127.0.0.1" as const;

  /** The HTTPS listener's port (Windows' 5986). */
  get port(): number {
    return (this.https.address() as AddressInfo).port;
  }

  /** The HTTP listener's port (Windows' 5985), which refuses unencrypted traffic. */
  get httpPort(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** SHA-256 fingerprint of the HTTPS listener's certificate, "AB:CD:…". */
  get certificateFingerprint256(): string {
    return this.options.certificate.fingerprint256;
  }

  /** Listens on 127.0.0.1, on a free port for each listener. */
  static async start(options: WinRmListenerOptions): Promise<WinRmListener> {
    const https = createHttpsServer({
      key: options.certificate.privateKeyPem,
      cert: options.certificate.certificatePem,
    });
    const listener = new WinRmListener(options, https, createHttpServer());
    for (const [server, encrypted] of [
      [https, true],
      [listener.http, false],
    ] as const) {
      server.keepAliveTimeout = IDLE_CONNECTION_MS;
      server.on("connection", (socket: Socket) => listener.track(socket));
      server.on("secureConnection", (socket: Socket) => listener.track(socket));
      server.on("request", (request: IncomingMessage, response: ServerResponse) => {
        listener.handle(request, response, encrypted).catch((error: Error) => {
          process.stderr.write(`lync-emulator: ${options.server.fqdn}: WinRM: ${error.message}\n`);
          request.socket.destroy();
        });
      });
      // A client that speaks plain HTTP to the HTTPS port fails the TLS handshake: HTTP.sys drops it.
      server.on("tlsClientError", (_error: Error, socket: Socket) => socket.destroy());
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
    }
    return listener;
  }

  /** Stops listening, closes every connection and ends every shell. */
  async stop(): Promise<void> {
    this.shells.closeAll();
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([this.https, this.http].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  private track(socket: Socket): void {
    if (this.sockets.has(socket)) return;
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
  }

  private async handle(request: IncomingMessage, response: ServerResponse, encrypted: boolean): Promise<void> {
    response.setHeader("Server", SERVER_HEADER);
    const limit = (this.options.maxEnvelopeSizeKb ?? 500) * 1024;
    const body = await readBody(request, limit);
    if ((request.url ?? "").split("?")[0].toLowerCase() !== "/wsman") return end(response, 404);
    if (request.method !== "POST") return end(response, 405);

    const socket = request.socket;
    let authentication = this.authentications.get(socket);
    if (!authentication) {
      authentication = new ConnectionAuthentication(this.policy(encrypted));
      this.authentications.set(socket, authentication);
    }
    const outcome = authentication.authenticate(request.headers.authorization);
    if (outcome.kind === "challenge") {
      response.setHeader("WWW-Authenticate", [...outcome.wwwAuthenticate]);
      return end(response, 401);
    }
    let parsed: WsmanRequest | undefined;
    try {
      if (outcome.user.remoteManagementUser === false) throw accessDenied();
      if (!encrypted) throw unencryptedRefused();
      if (body === "too large") throw envelopeTooLarge(limit / 1024);
      parsed = parseWsmanRequest(body);
      if (!parsed) throw invalidRequest("the body is not a SOAP envelope with a header and a body");
      const reply = await performShellAction(this.shells, outcome.login, parsed, {
        maxTimeoutMs: this.options.maxTimeoutMs ?? 60_000,
        address: `https://${this.options.server.fqdn}:${this.port}/wsman`,
      });
      return end(response, 200, reply);
    } catch (error) {
      if (error instanceof ClientCutError) return void socket.destroy();
      if (!(error instanceof WsmanFault)) throw error;
      return end(response, 500, error.toEnvelope(parsed, this.options.server.fqdn));
    }
  }

  private policy(encrypted: boolean): AuthenticationPolicy {
    return {
      users: this.options.users,
      names: this.names,
      basic: encrypted && (this.options.basic ?? true),
      now: () => this.options.server.now(),
    };
  }
}

/** The request body as text, or "too large" past `limit` bytes (read to its end all the same). */
function readBody(request: IncomingMessage, limit: number): Promise<string | "too large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on("end", () => resolve(size > limit ? "too large" : Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function end(response: ServerResponse, status: number, envelope?: string): void {
  if (envelope === undefined) {
    response.writeHead(status, { "Content-Length": "0" }).end();
    return;
  }
  const body = Buffer.from(envelope, "utf8");
  response.writeHead(status, { "Content-Type": SOAP_CONTENT_TYPE, "Content-Length": String(body.length) }).end(body);
}
