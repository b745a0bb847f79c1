// The I/O edge: PowerShell scripts run over SSH with ssh2. Everything else in the provider talks to
// a server through the narrow RemotePowerShell interface, so it can be tested without a network.
//
// Every exec request is the same short session bootstrap command line (remoteInvocation.ts): Windows
// OpenSSH hands it to its default shell (cmd.exe, or PowerShell), which starts powershell.exe; scripts
// and their parameters follow on standard input, so no shell re-parses them, no command-line limit
// applies and no secret reaches a process command line. The process stays for the next script of
// the same connection (an operation's read, request and assignment share one powershell.exe and one
// module import). PowerShell's CLIXML on stderr is decoded into the text a console would show. One
// connection per host+user is kept for the life of the provider process (the engine runs one
// provider process per deployment).

import { createHash } from "node:crypto";
import type { Duplex } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { Client, ClientChannel, ConnectConfig } from "ssh2";
import { decodeClixml } from "./clixml";
import { forgetIfCurrent, reuseOrOpen } from "./connectionPool";
import { dialWithRetries } from "./dialWithRetries";
import type { ConnectionInputs } from "./providerInputs";
import { ScriptOutputFrames, SESSION_COMMAND_LINE, sessionEnvelope, type RemoteScript } from "./remoteInvocation";

export interface ScriptOutput {
  readonly stdout: string;
  /** The error stream as a console shows it (CLIXML decoded). */
  readonly stderr: string;
  /** Warnings the script wrote (e.g. Request-CsCertificate's note that a request is pending). */
  readonly warnings: string;
  readonly exitCode: number;
}

export interface RemotePowerShell {
  /** The OpenSSH public key line the server presented. */
  readonly hostKey: string;
  /** The key line the bastion (connection.proxy) presented, when there is one. */
  readonly proxyHostKey?: string;
  /**
   * Runs one script in a powershell.exe of this connection (an idle one, else a new one), in a child
   * scope of its own; rejects when the connection fails or the command times out.
   */
  run(script: RemoteScript, options?: { readonly what?: string }): Promise<ScriptOutput>;
  /**
   * Says this caller is done with the connection; the last caller's release closes it (and the
   * server's powershell.exe). Releasing twice counts once; a caller that never releases keeps it open.
   */
  release(): void;
}

export interface TransportOptions {
  /** The host key recorded at create; a different one is refused. Ignored when connection.hostKey is set. */
  readonly recordedHostKey?: string;
  /** The bastion's host key recorded at create; the same rule for connection.proxy. */
  readonly recordedProxyHostKey?: string;
  /** Per-command timeout. @default 600000 (10 minutes: CA requests can be slow) */
  readonly commandTimeoutMs?: number;
  /** What is kept of each of stdout and stderr; more fails the command. @default OUTPUT_LIMIT_BYTES */
  readonly outputLimitBytes?: number;
}

const DEFAULT_PORT = 22;
const DEFAULT_USER = "root";
const DEFAULT_PER_DIAL_TIMEOUT_S = 15;
const DEFAULT_COMMAND_TIMEOUT_MS = 600_000;
/** What is kept of each of stdout and stderr: far above any answer of ours, below anything harmful. */
const OUTPUT_LIMIT_BYTES = 16 * 1024 * 1024;

/** The OpenSSH form "ssh-ed25519 AAAA…" of a raw public key blob. */
export function openSshKeyLine(blob: Buffer): string {
  const typeLength = blob.readUInt32BE(0);
  const type = blob.subarray(4, 4 + typeLength).toString("ascii");
  return `${type} ${blob.toString("base64")}`;
}

/** OpenSSH's SHA256 fingerprint of a key line, e.g. "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8". */
export function fingerprint(keyLine: string): string {
  const blob = Buffer.from(keyLine.trim().split(/\s+/)[1] ?? "", "base64");
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** Whether two OpenSSH key lines hold the same key (comments ignored). */
export function sameKey(a: string, b: string): boolean {
  const [typeA, blobA] = a.trim().split(/\s+/);
  const [typeB, blobB] = b.trim().split(/\s+/);
  return typeA === typeB && blobA === blobB;
}

/** A refused host key: names the host and both fingerprints, says how to fix it. */
class HostKeyMismatchError extends Error {
  constructor(
    readonly host: string,
    readonly expected: string,
    readonly presented: string,
    pinned: boolean,
  ) {
    super(
      `connecting to ${host}: host key mismatch: expected ${fingerprint(expected)}, the server presented ${fingerprint(presented)}; ` +
        (pinned
          ? "if the server's key really changed, update connection.hostKey"
          : "the key differs from the one recorded when the resource was created; if the server was rebuilt, set connection.hostKey to its new key"),
    );
    this.name = "HostKeyMismatchError";
  }
}

interface PooledConnection {
  readonly client: Client;
  readonly hostKey: string;
  readonly proxy?: PooledConnection;
  closed: boolean;
  /** Callers holding the connection (see RemotePowerShell.release). */
  users: number;
  /** Session processes waiting for their next script (one per script running at once, at most). */
  readonly idle: SessionProcess[];
}

const pool = new Map<string, Promise<PooledConnection>>();

// A connection is shared only by callers with the same credentials: one with a wrong password must not
// ride on another's logged-in session. The key holds a hash of them, never the credentials.
function poolKey(connection: ConnectionInputs): string {
  const proxy = connection.proxy ? `via ${poolKey(connection.proxy)}` : "";
  const credentials = createHash("sha256")
    .update(JSON.stringify([connection.password, connection.privateKey, connection.privateKeyPassword]))
    .digest("hex")
    .slice(0, 16);
  return `${connection.user ?? DEFAULT_USER}@${connection.host}:${connection.port ?? DEFAULT_PORT}#${credentials}${proxy}`;
}

/** A private key that cannot be read: no retry will fix it. */
class PrivateKeyError extends Error {}

/** Errors that no retry fixes: wrong host key, unreadable key, credentials refused. */
function isPermanent(error: unknown): boolean {
  return (
    error instanceof HostKeyMismatchError ||
    error instanceof PrivateKeyError ||
    (error as { level?: string } | undefined)?.level === "client-authentication"
  );
}

function describe(connection: ConnectionInputs): string {
  return `${connection.host}:${connection.port ?? DEFAULT_PORT}`;
}

/** Opens (or reuses) the SSH connection and returns the PowerShell runner on it. */
export async function connectPowerShell(
  connection: ConnectionInputs,
  options: TransportOptions = {},
): Promise<RemotePowerShell> {
  const key = poolKey(connection);
  let pooled = await reuseOrOpen(pool, key, () => dialConnection(connection, options));
  // A reused connection was verified when it was opened; check again against this call's expectation.
  const checkKeys = (opened: PooledConnection) => {
    checkHostKey(connection, options.recordedHostKey, opened.hostKey);
    if (connection.proxy && opened.proxy)
      checkHostKey(connection.proxy, options.recordedProxyHostKey, opened.proxy.hostKey);
  };
  checkKeys(pooled);
  pooled.users++;
  let released = false;
  const limits = {
    timeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    outputBytes: options.outputLimitBytes ?? OUTPUT_LIMIT_BYTES,
  };
  return {
    hostKey: pooled.hostKey,
    proxyHostKey: pooled.proxy?.hostKey,
    run: async (script, runOptions) => {
      const what = runOptions?.what ?? "running a script";
      try {
        return await runScript(pooled, connection, script, limits, what);
      } catch (error) {
        // A pooled connection the server dropped while idle fails before the script starts:
        // dial again once (the script never ran, so this cannot run it twice).
        if (!(error instanceof ChannelOpenError)) throw error;
        closePooled(pooled);
        pool.delete(key);
        const fresh = dialConnection(connection, options);
        pool.set(key, fresh);
        fresh.catch(() => pool.delete(key));
        pooled = await fresh;
        checkKeys(pooled);
        pooled.users++;
        return runScript(pooled, connection, script, limits, what);
      }
    },
    release: () => {
      if (released) return;
      released = true;
      if (--pooled.users > 0) return;
      closePooled(pooled);
      forgetIfCurrent(pool, key, pooled);
    },
  };
}

function checkHostKey(connection: ConnectionInputs, recorded: string | undefined, presented: string): void {
  const expected = connection.hostKey ?? recorded;
  if (expected && !sameKey(expected, presented)) {
    throw new HostKeyMismatchError(connection.host, expected, presented, connection.hostKey !== undefined);
  }
}

/** The SSH server would not open a channel: the script did not start. */
class ChannelOpenError extends Error {}

/** How many connections the process keeps open (one per host, port, user and proxy). */
export function openConnectionCount(): number {
  return pool.size;
}

/** Closes every pooled connection (tests, and the end of a short-lived process). */
export async function closeAllConnections(): Promise<void> {
  const all = [...pool.values()];
  pool.clear();
  for (const pending of all) {
    const pooled = await pending.catch(() => undefined);
    if (pooled) closePooled(pooled);
  }
}

function closePooled(pooled: PooledConnection): void {
  pooled.closed = true;
  pooled.client.end();
  if (pooled.proxy) closePooled(pooled.proxy);
}

function dialConnection(connection: ConnectionInputs, options: TransportOptions): Promise<PooledConnection> {
  return dialWithRetries(connection.dialErrorLimit, {
    attempt: () => dial(connection, options),
    // Wrong credentials, an unreadable key or a wrong host key will not fix themselves: fail at once.
    isPermanent,
    speaksForItself: (error) => error instanceof HostKeyMismatchError || error instanceof PrivateKeyError,
    doing: `connecting to ${describe(connection)} as ${connection.user ?? DEFAULT_USER} over SSH`,
    advice: "check that the server is reachable and sshd is running, or raise connection.dialErrorLimit",
  });
}

/** `field` names the connection in messages: "connection", or "connection.proxy" for the bastion. */
async function dial(
  connection: ConnectionInputs,
  options: TransportOptions,
  field = "connection",
): Promise<PooledConnection> {
  const { Client: SshClient, utils } = require("ssh2") as typeof import("ssh2");
  if (connection.privateKey !== undefined) {
    const parsed = utils.parseKey(connection.privateKey, connection.privateKeyPassword);
    if (parsed instanceof Error) {
      throw new PrivateKeyError(
        `${field}.privateKey for ${describe(connection)} cannot be read (${parsed.message}); give an OpenSSH or PEM private key, with privateKeyPassword if it is encrypted`,
      );
    }
  }
  let proxy: PooledConnection | undefined;
  let sock: Duplex | undefined;
  if (connection.proxy) {
    proxy = await dial(connection.proxy, { recordedHostKey: options.recordedProxyHostKey }, "connection.proxy");
    sock = await openTunnel(proxy, connection);
  }
  const client = new SshClient();
  const expected = connection.hostKey ?? options.recordedHostKey;
  let presented: string | undefined;
  let mismatch: HostKeyMismatchError | undefined;
  const config: ConnectConfig = {
    host: connection.host,
    port: connection.port ?? DEFAULT_PORT,
    username: connection.user ?? DEFAULT_USER,
    password: connection.password,
    privateKey: connection.privateKey,
    passphrase: connection.privateKeyPassword,
    readyTimeout: (connection.perDialTimeout ?? DEFAULT_PER_DIAL_TIMEOUT_S) * 1000,
    keepaliveInterval: 15_000,
    sock,
    hostVerifier: (key: Buffer) => {
      presented = openSshKeyLine(key);
      if (expected && !sameKey(expected, presented)) {
        mismatch = new HostKeyMismatchError(connection.host, expected, presented, connection.hostKey !== undefined);
        return false;
      }
      return true;
    },
  };
  return new Promise<PooledConnection>((resolve, reject) => {
    let settled = false;
    const pooled: { value?: PooledConnection } = {};
    client.on("ready", () => {
      settled = true;
      pooled.value = { client, hostKey: presented ?? "", proxy, closed: false, users: 0, idle: [] };
      resolve(pooled.value);
    });
    client.on("error", (error) => {
      if (pooled.value) pooled.value.closed = true;
      if (settled) return;
      settled = true;
      client.end();
      if (proxy) closePooled(proxy);
      reject(mismatch ?? error);
    });
    client.on("close", () => {
      if (pooled.value) pooled.value.closed = true;
      if (!settled) {
        settled = true;
        reject(mismatch ?? new Error("the connection closed during the SSH handshake"));
      }
    });
    client.connect(config);
  });
}

/** A TCP stream to the server through the bastion (direct-tcpip); the bastion is closed if it fails. */
async function openTunnel(bastion: PooledConnection, connection: ConnectionInputs): Promise<Duplex> {
  try {
    return await new Promise<Duplex>((resolve, reject) =>
      bastion.client.forwardOut("127.0.0.1", 0, connection.host, connection.port ?? DEFAULT_PORT, (error, stream) =>
        error
          ? reject(
              new Error(
                `opening a tunnel to ${describe(connection)} through ${describe(connection.proxy!)}: ${error.message}`,
                { cause: error },
              ),
            )
          : resolve(stream),
      ),
    );
  } catch (error) {
    closePooled(bastion);
    throw error;
  }
}

/** The limits every script runs under. */
interface ScriptLimits {
  readonly timeoutMs: number;
  readonly outputBytes: number;
}

/** How long a session process may wait for its next script before it is told to end. */
const SESSION_IDLE_MS = 5 * 60_000;

/** Runs a script in an idle session process of the connection, or in a new one. */
async function runScript(
  pooled: PooledConnection,
  connection: ConnectionInputs,
  script: RemoteScript,
  limits: ScriptLimits,
  what: string,
): Promise<ScriptOutput> {
  const where = describe(connection);
  if (pooled.closed) throw new ChannelOpenError(`${what} on ${where}: the connection closed while idle`);
  let process: SessionProcess | undefined;
  while ((process = pooled.idle.pop()) && !process.open);
  process ??= await SessionProcess.start(pooled, `${what} on ${where}`);
  const output = await process.run(sessionEnvelope(script), limits, `${what} on ${where}`);
  if (process.open) pooled.idle.push(process);
  return output;
}

/**
 * One powershell.exe running the session bootstrap (remoteInvocation.ts) on an exec channel: scripts
 * go in on stdin one at a time and their outputs come back framed on stdout. A script that ends the
 * process (a terminating error, `exit`) gets the exit code and the error stream, as a one-shot would.
 */
class SessionProcess {
  open = true;
  private readonly frames = new ScriptOutputFrames();
  private readonly decoder = new StringDecoder("utf8");
  private stderr: CappedBuffer | undefined;
  private exitCode: number | undefined;
  /** The script running now: what it is (for messages), its output limit, and how to answer it. */
  private current:
    { readonly doing: string; readonly outputBytes: number; settle(outcome: ScriptOutput | Error): void } | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly channel: ClientChannel) {
    channel.on("data", (chunk: Buffer) => this.onStdout(this.decoder.write(chunk)));
    channel.stderr.on("data", (chunk: Buffer) => this.stderr?.push(chunk));
    channel.on("exit", (code: number | null) => {
      this.exitCode = code ?? undefined;
    });
    channel.on("close", () => this.onClose());
  }

  static start(pooled: PooledConnection, doing: string): Promise<SessionProcess> {
    return new Promise((resolve, reject) => {
      pooled.client.exec(SESSION_COMMAND_LINE, (error, channel) => {
        if (error) {
          pooled.closed = true;
          reject(
            new ChannelOpenError(`${doing}: the SSH server refused to start powershell.exe: ${error.message}`, {
              cause: error,
            }),
          );
        } else resolve(new SessionProcess(channel));
      });
    });
  }

  run(envelope: string, limits: ScriptLimits, doing: string): Promise<ScriptOutput> {
    clearTimeout(this.idleTimer);
    this.stderr ??= new CappedBuffer(limits.outputBytes);
    const answer = new Promise<ScriptOutput>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.end(true);
        this.current?.settle(
          new Error(
            `${doing}: no answer after ${Math.round(limits.timeoutMs / 1000)} s; the script may still be running on the server (a CA or the Lync module may be hanging); the next run reads the server before it acts`,
          ),
        );
      }, limits.timeoutMs);
      this.current = {
        doing,
        outputBytes: limits.outputBytes,
        settle: (outcome) => {
          clearTimeout(timer);
          this.current = undefined;
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
          if (this.open) this.idleTimer = setTimeout(() => this.end(false), SESSION_IDLE_MS).unref();
        },
      };
    });
    // Written outside the closures above, so the text (a script's size, twice) is garbage once sent,
    // not kept until the answer: a fleet's reads are all waiting at once.
    this.channel.write(envelope);
    return answer;
  }

  private onStdout(text: string): void {
    for (const stdout of this.frames.push(text)) this.answer(stdout);
    const current = this.current;
    if (current && this.frames.pending.length > current.outputBytes) this.refuseTooMuch(current);
  }

  private answer(stdout: string): void {
    const current = this.current;
    if (!current) return;
    if (stdout.length > current.outputBytes || this.stderr?.truncated) this.refuseTooMuch(current);
    else current.settle({ stdout, stderr: "", warnings: "", exitCode: 0 });
  }

  private refuseTooMuch(current: NonNullable<SessionProcess["current"]>): void {
    this.end(true);
    current.settle(
      new Error(
        `${current.doing}: the script wrote more than ${current.outputBytes} bytes to ${this.stderr?.truncated ? "stderr" : "stdout"}; the rest was dropped and the answer cannot be trusted`,
      ),
    );
  }

  private onClose(): void {
    this.open = false;
    clearTimeout(this.idleTimer);
    const current = this.current;
    if (!current) return;
    this.frames.push(this.decoder.end());
    if (this.exitCode === undefined) {
      current.settle(
        new Error(
          `${current.doing}: the connection closed before the script finished (no exit status); what it changed is unknown, run again to converge`,
        ),
      );
      return;
    }
    const streams = decodeClixml(this.stderr?.text() ?? "");
    current.settle({
      stdout: this.frames.pending,
      stderr: streams.error,
      warnings: streams.warning,
      exitCode: this.exitCode,
    });
  }

  /** Closes stdin (the bootstrap's loop ends, the process exits), or the channel outright. */
  private end(abort: boolean): void {
    this.open = false;
    if (abort) this.channel.close();
    else this.channel.end();
  }
}

/** Collects a stream up to a limit and remembers whether more came. */
class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    if (this.size + chunk.length > this.limit) {
      this.truncated = true;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}
