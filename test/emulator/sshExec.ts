// A minimal ssh2 client for the emulator's tests: one exec request, everything it produced, and
// whether the server ended it properly (exit status) or the connection just went away.

import { Client, type ConnectConfig } from "ssh2";

export interface SshExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** undefined when the channel closed without an exit status (a dropped connection). */
  readonly exitCode: number | undefined;
  /** True when the connection ended before the channel closed normally. */
  readonly dropped: boolean;
}

export interface SshTarget {
  readonly port: number;
  readonly hostKey?: string;
}

export type SshCredentials = { readonly username: string } & (
  { readonly password: string } | { readonly privateKey: string }
);

/** Connects, runs one exec request and disconnects. Rejects on authentication failure or timeout. */
export function sshExec(
  target: SshTarget,
  credentials: SshCredentials,
  command: string,
  options: {
    readonly timeoutMs?: number;
    /** Written to the process's standard input, then EOF; without it stdin stays open. */
    readonly stdin?: string;
  } = {},
): Promise<SshExecResult> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let stdout = "";
    let stderr = "";
    let exitCode: number | undefined;
    let channelClosed = false;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      if (error) reject(error);
      else resolve({ stdout, stderr, exitCode, dropped: !channelClosed || exitCode === undefined });
    };
    const timer = setTimeout(
      () => finish(new Error(`ssh exec timed out after ${options.timeoutMs ?? 15000} ms`)),
      options.timeoutMs ?? 15000,
    );
    const config: ConnectConfig = {
      host: "127.0.0.1",
      port: target.port,
      username: credentials.username,
      readyTimeout: 10000,
      ...("password" in credentials ? { password: credentials.password } : { privateKey: credentials.privateKey }),
    };
    if (target.hostKey) {
      const expected = Buffer.from(target.hostKey.split(/\s+/)[1], "base64");
      config.hostVerifier = (key: Buffer) => Buffer.compare(key, expected) === 0;
    }
    client
      .on("ready", () => {
        client.exec(command, (error, channel) => {
          if (error) return finish(error);
          if (options.stdin !== undefined) channel.end(options.stdin);
          channel.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
          channel.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
          channel.on("exit", (code: number | null) => {
            if (typeof code === "number") exitCode = code;
          });
          channel.on("close", () => {
            channelClosed = true;
            finish();
          });
        });
      })
      .on("error", (error) => finish(error))
      .on("close", () => finish())
      .connect(config);
  });
}
