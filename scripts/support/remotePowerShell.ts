// Runs a PowerShell script on an emulated server over SSH, as an administrator would from a
// workstation: the out-of-band changes and the read-backs of the end-to-end tests and the demo go
// through the same front door as the provider, never through the emulator's in-process state.

import { Client } from "ssh2";
import { decodeClixml } from "pulumi-lync-certificates/dist/clixml";
import { BOOTSTRAP_COMMAND_LINE, stdinEnvelope } from "pulumi-lync-certificates/dist/remoteInvocation";

export interface RemoteEndpoint {
  readonly fqdn?: string;
  readonly host: string;
  readonly port: number;
  /** OpenSSH public key line; the server must present exactly this key. */
  readonly hostKey: string;
}

export interface RemoteCredentials {
  readonly user: string;
  readonly password: string;
}

export interface RemoteResult {
  readonly stdout: string;
  /** The text a console would show: powershell.exe's CLIXML stderr decoded (error stream, then the others). */
  readonly stderr: string;
  readonly exitCode: number | undefined;
}

/**
 * Runs `script` through the provider's bootstrap (a constant command line, the script on standard input,
 * so a script of any length passes cmd.exe's 8,191-character limit) and returns its streams; does not
 * throw on a non-zero exit (see runRemotePowerShellOrThrow).
 */
function runRemotePowerShell(
  endpoint: RemoteEndpoint,
  credentials: RemoteCredentials,
  script: string,
  timeoutMs = 60_000,
): Promise<RemoteResult> {
  const name = endpoint.fqdn ?? `${endpoint.host}:${endpoint.port}`;
  const expectedKey = Buffer.from(endpoint.hostKey.trim().split(/\s+/)[1] ?? "", "base64");
  return new Promise((resolve, reject) => {
    const client = new Client();
    let settled = false;
    const finish = (error: Error | undefined, result?: RemoteResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      if (error) reject(error);
      else resolve(result!);
    };
    const timer = setTimeout(
      () => finish(new Error(`running a script on ${name}: no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    client.on("error", (error) =>
      finish(new Error(`connecting to ${name} over SSH: ${error.message}`, { cause: error })),
    );
    client.on("ready", () => {
      client.exec(BOOTSTRAP_COMMAND_LINE, (error, channel) => {
        if (error) {
          finish(new Error(`running a script on ${name}: ${error.message}`, { cause: error }));
          return;
        }
        let stdout = "";
        let stderr = "";
        let exitCode: number | undefined;
        channel.setEncoding("utf8");
        channel.stderr.setEncoding("utf8");
        channel.on("data", (chunk: string) => (stdout += chunk));
        channel.stderr.on("data", (chunk: string) => (stderr += chunk));
        channel.on("exit", (code: number | null) => (exitCode = code ?? undefined));
        channel.on("close", () => {
          const streams = decodeClixml(stderr);
          finish(undefined, { stdout, stderr: streams.error + streams.warning + streams.other, exitCode });
        });
        channel.end(stdinEnvelope({ script }));
      });
    });
    client.connect({
      host: endpoint.host,
      port: endpoint.port,
      username: credentials.user,
      password: credentials.password,
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => key.equals(expectedKey),
    });
  });
}

/** Runs `script` and returns its stdout; throws with the server's stderr when it exits non-zero. */
export async function runRemotePowerShellOrThrow(
  endpoint: RemoteEndpoint,
  credentials: RemoteCredentials,
  script: string,
  timeoutMs?: number,
): Promise<string> {
  const result = await runRemotePowerShell(endpoint, credentials, script, timeoutMs);
  if (result.exitCode !== 0) {
    const name = endpoint.fqdn ?? `${endpoint.host}:${endpoint.port}`;
    throw new Error(
      `running a script on ${name}: exit code ${result.exitCode ?? "none"}\n${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
  return result.stdout;
}
