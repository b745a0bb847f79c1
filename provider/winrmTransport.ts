// The I/O edge over WinRM: the same RemotePowerShell as over SSH, carried by a Windows Remote Shell
// (WS-Management over HTTPS). One shell per server is created at the first script of an operation
// (the engine runs one provider process per operation) and every script runs in it as a Command of
// the same constant bootstrap command line; the script and its parameters go to the command's
// standard input through Send, so secrets never reach a command line, exactly as over SSH. Receive
// is repeated until the command is Done, w:TimedOut (nothing to say yet) being the normal answer
// of a quiet command.

import { createHash } from "node:crypto";
import { forgetIfCurrent, reuseOrOpen } from "./connectionPool";
import { dialWithRetries } from "./dialWithRetries";
import { decodeClixml } from "./clixml";
import type { ConnectionInputs } from "./providerInputs";
import { BOOTSTRAP_COMMAND_LINE, stdinEnvelope, type RemoteScript } from "./remoteInvocation";
import type { RemotePowerShell, ScriptOutput, TransportOptions } from "./sshTransport";
import type { WinrmAuthentication } from "./winrmAuthentication";
import { checkTlsIdentity, NotTlsError, TlsCertificateMismatchError, TlsCertificateUntrustedError } from "./winrmTls";
import { WinrmAccessDeniedError, WsmanClient } from "./wsmanClient";
import {
  commandRequest,
  createShellRequest,
  deleteShellRequest,
  parseCommandId,
  parseReceive,
  parseShellId,
  receiveRequest,
  sendChunkBytes,
  sendRequest,
  signalRequest,
  WsmanFault,
  type EnvelopeContext,
} from "./wsmanEnvelopes";

export const DEFAULT_WINRM_PORT = 5986;
const DEFAULT_AUTHENTICATION: WinrmAuthentication = "ntlm";
const DEFAULT_PER_DIAL_TIMEOUT_S = 15;
const DEFAULT_COMMAND_TIMEOUT_MS = 600_000;
const OUTPUT_LIMIT_BYTES = 16 * 1024 * 1024;
/** 150 KB: what every Windows version accepts (MaxEnvelopeSizekb is 150 on 2008 R2, 500 later). */
const MAX_ENVELOPE_SIZE = 153_600;
/** Below WinRM's default MaxTimeoutms (60 s), so a quiet Receive comes back as w:TimedOut, not an error. */
const OPERATION_TIMEOUT_S = 20;
/** A shell left behind by a provider process that ended without Delete closes itself after this. */
const SHELL_IDLE_TIMEOUT_S = 900;
/** How often a transient fault of Create, Command, Signal or Delete is tried again. */
const TRANSIENT_RETRIES = 3;

interface PooledShell {
  readonly client: WsmanClient;
  readonly context: EnvelopeContext;
  shellId: string;
  closed: boolean;
  /** Callers holding the shell (see RemotePowerShell.release). */
  users: number;
  /** Scripts run one after another in the shell. */
  queue: Promise<unknown>;
}

const pool = new Map<string, Promise<PooledShell>>();

// As over SSH, a shell is shared only by callers with the same credentials, and here also the same
// way of trusting the listener (a shell opened `insecure` must not serve a caller with a CA); the key
// holds a hash.
function poolKey(connection: ConnectionInputs): string {
  const { password, authentication, caCertificate, certificateFingerprint, insecure } = connection;
  const credentials = createHash("sha256")
    .update(JSON.stringify([password, authentication, caCertificate, certificateFingerprint, insecure]))
    .digest("hex")
    .slice(0, 16);
  return `winrm:${connection.user ?? ""}@${connection.host}:${connection.port ?? DEFAULT_WINRM_PORT}#${credentials}`;
}

function describe(connection: ConnectionInputs): string {
  return `${connection.host}:${connection.port ?? DEFAULT_WINRM_PORT}`;
}

/** Errors that no retry fixes: an untrusted or changed certificate, no TLS, credentials refused. */
function isPermanent(error: unknown): boolean {
  return (
    error instanceof TlsCertificateMismatchError ||
    error instanceof TlsCertificateUntrustedError ||
    error instanceof NotTlsError ||
    error instanceof WinrmAccessDeniedError ||
    (error instanceof WsmanFault && error.subcode === "AccessDenied")
  );
}

/** Opens (or reuses) the server's shell and returns the PowerShell runner on it. */
export async function connectWinrmPowerShell(
  connection: ConnectionInputs,
  options: TransportOptions = {},
): Promise<RemotePowerShell> {
  const key = poolKey(connection);
  let shell = await reuseOrOpen(pool, key, () => openWithRetries(connection, options));
  // A reused shell's listener was verified when it was opened; check it against this call's expectation.
  checkTlsIdentity(connection, options.recordedHostKey, shell.client.identity);
  shell.users++;
  let released = false;
  const limits = {
    timeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    outputBytes: options.outputLimitBytes ?? OUTPUT_LIMIT_BYTES,
  };
  const runNow = async (script: RemoteScript, what: string): Promise<ScriptOutput> => {
    try {
      return await runScript(shell, connection, script, limits, what);
    } catch (error) {
      // The shell is gone (idle too long, the service restarted) or unreachable, and the command
      // never started: open a new shell, with the usual retries, and run the script there once.
      if (!(error instanceof CommandNotStartedError)) throw error;
      shell.closed = true;
      shell.client.close();
      const reopened = openWithRetries(connection, options);
      pool.set(key, reopened);
      reopened.catch(() => pool.delete(key));
      shell = await reopened;
      checkTlsIdentity(connection, options.recordedHostKey, shell.client.identity);
      shell.users++;
      return runScript(shell, connection, script, limits, what);
    }
  };
  return {
    hostKey: shell.client.identity,
    run: (script, runOptions) => {
      const next = shell.queue.then(() => runNow(script, runOptions?.what ?? "running a script"));
      shell.queue = next.catch(() => undefined);
      return next;
    },
    release: () => {
      if (released) return;
      released = true;
      if (--shell.users > 0 || shell.closed) return;
      const last = shell;
      // Closed now, so no new caller gets it; deleted after the scripts already queued.
      last.closed = true;
      forgetIfCurrent(pool, key, last);
      void last.queue.then(() => deleteShell(last));
    },
  };
}

/** How many shells the process keeps open (one per server and user). */
export function openShellCount(): number {
  return pool.size;
}

/** Deletes every shell (tests, and the end of a short-lived process). */
export async function closeAllShells(): Promise<void> {
  const all = [...pool.values()];
  pool.clear();
  await Promise.all(
    all.map(async (pending) => {
      const shell = await pending.catch(() => undefined);
      if (!shell || shell.closed) return;
      shell.closed = true;
      await deleteShell(shell);
    }),
  );
}

async function deleteShell(shell: PooledShell): Promise<void> {
  await shell.client.post(deleteShellRequest(shell.context, shell.shellId)).catch(() => undefined);
  shell.client.close();
}

function openWithRetries(connection: ConnectionInputs, options: TransportOptions): Promise<PooledShell> {
  return dialWithRetries(connection.dialErrorLimit, {
    attempt: () => openShell(connection, options),
    isPermanent,
    speaksForItself: (error) =>
      error instanceof TlsCertificateMismatchError || error instanceof TlsCertificateUntrustedError,
    doing: `connecting to ${describe(connection)} as ${connection.user ?? ""} over WinRM`,
    advice:
      "check that the server is reachable and its WinRM HTTPS listener is on (winrm enumerate winrm/config/listener), or raise connection.dialErrorLimit",
  });
}

async function openShell(connection: ConnectionInputs, options: TransportOptions): Promise<PooledShell> {
  const client = new WsmanClient(connection, {
    port: connection.port ?? DEFAULT_WINRM_PORT,
    authentication: connection.authentication ?? DEFAULT_AUTHENTICATION,
    recordedIdentity: options.recordedHostKey,
    dialTimeoutMs: (connection.perDialTimeout ?? DEFAULT_PER_DIAL_TIMEOUT_S) * 1000,
    requestTimeoutMs: (OPERATION_TIMEOUT_S + 30) * 1000,
  });
  try {
    await client.connect();
    const context = {
      to: client.url,
      maxEnvelopeSize: MAX_ENVELOPE_SIZE,
      operationTimeoutSeconds: OPERATION_TIMEOUT_S,
    };
    const shellId = parseShellId(await client.post(createShellRequest(context, SHELL_IDLE_TIMEOUT_S)));
    return { client, context, shellId, closed: false, users: 0, queue: Promise.resolve() };
  } catch (error) {
    client.close();
    throw error;
  }
}

/** Posts a request whose repetition is harmless, again after a transient fault or network error. */
async function postWithRetries(shell: PooledShell, envelope: () => string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await shell.client.post(envelope());
    } catch (error) {
      if (isPermanent(error) || attempt >= TRANSIENT_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/** The server no longer knows the shell (it was idle too long, or WinRM restarted). */
function isShellGone(error: unknown): boolean {
  return (
    error instanceof WsmanFault &&
    (error.subcode === "InvalidSelectors" || /shell (was )?not found|ShellId .* not found/i.test(error.message))
  );
}

/** The command did not start (the shell is gone, or the listener cannot be reached): trying again is safe. */
class CommandNotStartedError extends Error {}

async function startCommand(shell: PooledShell): Promise<string> {
  try {
    return parseCommandId(
      await shell.client.post(commandRequest(shell.context, shell.shellId, BOOTSTRAP_COMMAND_LINE)),
    );
  } catch (error) {
    if (isShellGone(error) || isNetworkError(error))
      throw new CommandNotStartedError((error as Error).message, { cause: error });
    throw error;
  }
}

/** A failure to reach the listener at all (no HTTP answer came). */
function isNetworkError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException | undefined)?.code === "string" && !(error instanceof WsmanFault);
}

async function sendInput(shell: PooledShell, commandId: string, input: Buffer): Promise<void> {
  let chunkBytes = sendChunkBytes(shell.context);
  let offset = 0;
  do {
    const chunk = input.subarray(offset, offset + chunkBytes);
    const end = offset + chunk.length >= input.length;
    try {
      await shell.client.post(sendRequest(shell.context, shell.shellId, commandId, chunk, end));
      offset += chunk.length;
    } catch (error) {
      // The server's MaxEnvelopeSize is below ours: the chunk was refused whole, send it in halves.
      if (!(error instanceof WsmanFault && error.subcode === "EncodingLimit") || chunkBytes < 1024) throw error;
      chunkBytes = Math.floor(chunkBytes / 2);
    }
  } while (offset < input.length);
}

async function runScript(
  shell: PooledShell,
  connection: ConnectionInputs,
  script: RemoteScript,
  limits: { readonly timeoutMs: number; readonly outputBytes: number },
  what: string,
): Promise<ScriptOutput> {
  const where = describe(connection);
  const fail = (reason: string, cause?: unknown) => new Error(`${what} on ${where} over WinRM: ${reason}`, { cause });
  const commandId = await startCommand(shell).catch((error: Error) => {
    if (error instanceof CommandNotStartedError) throw error;
    throw fail(`starting powershell.exe failed: ${error.message}`, error);
  });
  try {
    await sendInput(shell, commandId, Buffer.from(stdinEnvelope(script), "utf8"));
  } catch (error) {
    await terminate(shell, commandId);
    throw fail(`sending the script to powershell.exe failed: ${(error as Error).message}`, error);
  }
  const deadline = Date.now() + limits.timeoutMs;
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let size = 0;
  for (;;) {
    let received;
    try {
      // A Receive waits at most until the command's deadline, so a short commandTimeoutMs is kept.
      const waitSeconds = Math.min(OPERATION_TIMEOUT_S, Math.max(1, Math.ceil((deadline - Date.now()) / 1000)));
      const context = { ...shell.context, operationTimeoutSeconds: waitSeconds };
      received = parseReceive(await shell.client.post(receiveRequest(context, shell.shellId, commandId)));
    } catch (error) {
      if (!(error instanceof WsmanFault && error.timedOut)) {
        throw fail(
          `the output could not be read (${(error as Error).message}); what the script changed is unknown, run again to converge`,
          error,
        );
      }
      received = undefined;
    }
    if (received) {
      stdout.push(received.stdout);
      stderr.push(received.stderr);
      size += received.stdout.length + received.stderr.length;
      if (size > limits.outputBytes) {
        await terminate(shell, commandId);
        throw fail(
          `the script wrote more than ${limits.outputBytes} bytes; the rest was dropped and the answer cannot be trusted`,
        );
      }
      if (received.exitCode !== undefined) {
        const streams = decodeClixml(Buffer.concat(stderr).toString("utf8"));
        return {
          stdout: Buffer.concat(stdout).toString("utf8"),
          stderr: streams.error,
          warnings: streams.warning,
          exitCode: received.exitCode,
        };
      }
    }
    if (Date.now() > deadline) {
      await terminate(shell, commandId);
      throw fail(
        `no answer after ${Math.round(limits.timeoutMs / 1000)} s; the script may still be running on the server (a CA or the Lync module may be hanging); the next run reads the server before it acts`,
      );
    }
  }
}

async function terminate(shell: PooledShell, commandId: string): Promise<void> {
  await postWithRetries(shell, () => signalRequest(shell.context, shell.shellId, commandId)).catch(() => undefined);
}
