// One emulated server's SSH endpoint, as Windows OpenSSH with PowerShell behind it.
//
// Exec requests only: each runs one process (powershell.exe: a fresh runspace) and ends with its exit
// status. The channel's data is the process's stdin as it arrives; what the process writes before it
// waits on stdin reaches the client at once, so a client can converse with a looping script. Output uses CRLF line endings, as Windows' console
// writes them; clients that compare text should split on /\r?\n/. Faults hook into the
// interpreter's beforeCommand/afterCommand: a "drop" destroys the TCP connection so the client
// sees no exit status, exactly like a network failure mid-script.

import { createHash, timingSafeEqual } from "node:crypto";
import { StringDecoder } from "node:string_decoder";
import { createServer, type AddressInfo, type Server as NetServer, type Socket } from "node:net";
import { Server as SshServer, utils as sshUtils, type Connection, type ServerChannel } from "ssh2";
import { redactParameters } from "./auditParameters";
import { serverCommands } from "./cmdlets/index";
import { runScript as interpret } from "./powershell/interpreter";
import type { HostKey } from "./emulatorState";
import { createProcess, MAX_PROCESS_COMMAND_LINE, shellCommandLine, type WindowsMachine } from "./windowsProcess";
import type { DefaultShell, LoginKind } from "./lyncHost";
import { StandardInput } from "./powershell/standardInput";
import type { LyncServer } from "./lyncServer";
import type { CommandDefinition } from "./powershell/command";
import type { ProcessResult, RunScriptOptions, ScriptResult } from "./powershell/session";

export interface EmulatorUser {
  /** Login name as the SSH client sends it, e.g. "lyncadmin"; CA enroll rights match it against the topology's enrollers ("CONTOSO\\lyncadmin" matches "lyncadmin"). */
  readonly name: string;
  readonly password?: string;
  /** OpenSSH public key lines (authorized_keys format). */
  readonly authorizedKeys?: readonly string[];
}

export type ScriptRunner = (script: string, options: RunScriptOptions) => Promise<ScriptResult>;

export interface SshFrontDoorOptions {
  readonly server: LyncServer;
  readonly hostKey: HostKey;
  readonly users: readonly EmulatorUser[];
  /** Persists the server's state; called after every script, and before a drop after a command. */
  readonly save: () => void;
  /** @default the PowerShell interpreter (emulator/powershell/interpreter.ts) */
  readonly runScript?: ScriptRunner;
  /** @default every command exported by emulator/cmdlets/index.ts */
  readonly commands?: readonly CommandDefinition[];
  /** What OpenSSH runs exec requests through. @default "cmd" */
  readonly defaultShell?: DefaultShell;
}

/** Thrown into the interpreter to end a script whose connection is gone. */
export class ConnectionDroppedError extends Error {
  constructor(reason: string) {
    super(`The SSH connection was closed (${reason}).`);
    this.name = "ConnectionDroppedError";
  }
}

/** Who an SSH session runs as; the kind decides whether it has network credentials. */
interface Login {
  readonly name: string;
  readonly kind: LoginKind;
}

// ssh2 emits "ready" only after an accepted login, so this never runs a script; it grants the least.
const NO_LOGIN: Login = { name: "", kind: "publickey" };

interface ParsedUserKey {
  readonly blob: Buffer;
  readonly key: ReturnType<typeof sshUtils.parseKey> & {
    verify(data: Buffer, signature: Buffer, algo?: string): boolean;
  };
}

interface PreparedUser {
  readonly name: string;
  readonly passwordHash?: Buffer;
  readonly keys: readonly ParsedUserKey[];
}

export class SshFrontDoor {
  private readonly sockets = new Set<Socket>();
  private stopped = false;

  private constructor(
    private readonly options: SshFrontDoorOptions,
    private readonly net: NetServer,
    readonly port: number,
  ) {}

  readonly host = "127.0.0.1" as const;

  get hostKey(): string {
    return this.options.hostKey.publicKey;
  }

  /** Listens on 127.0.0.1 on a free port. */
  static async start(options: SshFrontDoorOptions): Promise<SshFrontDoor> {
    const users = options.users.map(prepareUser);
    const ssh = new SshServer({ hostKeys: [options.hostKey.privateKey], ident: "OpenSSH_for_Windows_8.1" });
    const net = createServer();
    await new Promise<void>((resolve, reject) => {
      net.once("error", reject);
      net.listen(0, "127.0.0.1", () => resolve());
    });
    const door = new SshFrontDoor(options, net, (net.address() as AddressInfo).port);
    const socketsByPort = new Map<number, Socket>();
    net.on("connection", (socket) => {
      door.sockets.add(socket);
      socketsByPort.set(socket.remotePort ?? -1, socket);
      socket.on("close", () => {
        door.sockets.delete(socket);
        socketsByPort.delete(socket.remotePort ?? -1);
      });
      socket.on("error", () => socket.destroy());
      ssh.injectSocket(socket);
    });
    ssh.on("connection", (client, info) => {
      const socket = socketsByPort.get(info.port);
      if (socket) door.serve(client, socket, users);
      else client.end();
    });
    ssh.on("error", () => {
      /* a client that vanished mid-handshake; nothing to do */
    });
    return door;
  }

  /** Stops listening and closes every connection. */
  async stop(): Promise<void> {
    // Processes still running end with their connections; the emulator saves its state itself.
    this.stopped = true;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.net.close(() => resolve()));
  }

  private serve(client: Connection, socket: Socket, users: readonly PreparedUser[]): void {
    // The kind matters beyond the login: a key login has no network credentials (the double hop).
    let login: Login | undefined;
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    client.on("error", () => socket.destroy());

    client.on("authentication", (ctx) => {
      const user = users.find((u) => u.name.toLowerCase() === ctx.username.toLowerCase());
      const methods: ("password" | "publickey")[] = ["publickey", "password"];
      if (ctx.method === "password") {
        if (user?.passwordHash && safeEqual(user.passwordHash, sha256(Buffer.from(ctx.password, "utf8")))) {
          login = { name: user.name, kind: "password" };
          return ctx.accept();
        }
        return ctx.reject(methods);
      }
      if (ctx.method === "publickey") {
        const offered = sha256(ctx.key.data);
        const match = user?.keys.find((k) => safeEqual(sha256(k.blob), offered));
        if (!user || !match) return ctx.reject(methods);
        // Without a signature the client only asks whether the key would do.
        if (!ctx.signature || !ctx.blob) return ctx.accept();
        if (match.key.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) {
          login = { name: user.name, kind: "publickey" };
          return ctx.accept();
        }
        return ctx.reject(methods);
      }
      return ctx.reject(methods);
    });

    client.on("ready", () => {
      client.on("session", (acceptSession) => {
        const session = acceptSession();
        session.on("pty", (accept) => accept?.());
        session.on("env", (accept) => accept?.());
        session.on("shell", (accept) => {
          const channel = accept();
          channel.stderr.write(
            "This emulated Lync server accepts exec requests only: run one command per connection, e.g.\r\n" +
              'ssh lyncadmin@host "powershell.exe -NoProfile -NonInteractive -EncodedCommand <base64>"\r\n',
          );
          channel.exit(1);
          channel.end();
        });
        session.on("exec", (accept, reject, info) => {
          // sshd cannot create a shell whose command line CreateProcess refuses: the exec request fails
          // (OpenSSH's client says "exec request failed on channel 0").
          const shellLine = shellCommandLine(this.options.defaultShell ?? "cmd", info.command);
          if (shellLine.length > MAX_PROCESS_COMMAND_LINE) return reject?.();
          const channel = accept();
          this.exec(channel, info.command, login ?? NO_LOGIN, socket, closed).catch((error: Error) => {
            // Typically the state directory vanished under a stopping emulator; never crash the process for it.
            process.stderr.write(`lync-emulator: ${this.options.server.fqdn}: ${error.message}\n`);
            socket.destroy();
          });
        });
      });
    });
  }

  private async exec(
    channel: ServerChannel,
    command: string,
    login: Login,
    socket: Socket,
    closed: Promise<void>,
  ): Promise<void> {
    const host = this.options.server.withUser(login.name, login.kind);
    let dropped = false;
    const drop = (reason: string): never => {
      dropped = true;
      socket.destroy();
      throw new ConnectionDroppedError(reason);
    };
    void closed.then(() => {
      dropped = true;
    });
    const runScript = this.options.runScript ?? interpret;
    const commands = this.options.commands ?? serverCommands;
    const environment = windowsEnvironment(host.fqdn, host.user);
    const machine: WindowsMachine = {
      environment,
      logProcess: (commandLine) => host.appendProcessLog(commandLine),
      logScriptBlock: (text) => host.appendScriptBlockLog(text),
      runPowerShell: (script, extra) =>
        runScript(script, {
          ...extra,
          fileSystem: host.fileSystem,
          commands,
          host,
          now: () => host.now(),
          environment,
          autoLoadModules: AUTO_LOADED_MODULES,
          beforeCommand: async (name, parameters) => {
            if (dropped) throw new ConnectionDroppedError("client gone");
            if (host.hangsAt(name)) {
              await closed;
              throw new ConnectionDroppedError(`hang at ${name}`);
            }
            if (host.consumeDrop(name, "before")) {
              this.options.save();
              drop(`fault: drop before ${name}`);
            }
            const latency = host.latencyBefore(name);
            if (latency > 0) await Promise.race([sleep(latency), closed]);
            if (dropped) throw new ConnectionDroppedError("client gone");
            host.appendAudit(name, redactParameters(parameters));
          },
          afterCommand: (name) => {
            if (host.consumeDrop(name, "after")) {
              // The command's effect stays, as on a real server that loses its network afterwards.
              this.options.save();
              drop(`fault: drop after ${name}`);
            }
          },
        }),
    };

    let result: ProcessResult;
    try {
      // A process that waits on stdin has written its output so far: the client sees it. (The state is
      // saved when the process ends, or when the emulator stops.)
      let channelClosed = false;
      channel.once("close", () => (channelClosed = true));
      const writeStdout = (text: string) => {
        if (!dropped && !channelClosed) channel.write(crlf(text));
      };
      result = await createProcess(
        machine,
        shellCommandLine(this.options.defaultShell ?? "cmd", command),
        stdinOf(channel),
        writeStdout,
      );
    } catch (error) {
      if (dropped) {
        if (!this.stopped) this.options.save();
        return;
      }
      result = {
        stdout: "",
        stderr: `The emulator failed to run the command on ${host.fqdn}: ${(error as Error).message}\n`,
        exitCode: 1,
      };
    }
    if (!this.stopped) this.options.save();
    if (dropped) return;
    if (result.stdout) channel.write(crlf(result.stdout));
    if (result.stderr) channel.stderr.write(crlf(result.stderr));
    channel.exit(result.exitCode);
    channel.end();
  }
}

/** Modules on PSModulePath that hold the Cs cmdlets, in path order: the first one auto-loads. */
const AUTO_LOADED_MODULES = ["Lync", "SkypeForBusiness"];

function prepareUser(user: EmulatorUser): PreparedUser {
  const keys = (user.authorizedKeys ?? []).flatMap((line, i) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return [];
    // authorized_keys lines may start with options (from="...",no-pty); the key is "<type> <base64>".
    const keyText = /(?:^|\s)((?:ssh-|ecdsa-|sk-)\S+\s+[A-Za-z0-9+/=]+)/.exec(trimmed)?.[1] ?? trimmed;
    const parsed = sshUtils.parseKey(keyText);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key instanceof Error) {
      throw new Error(
        `reading authorized key ${i + 1} of user ${user.name}: ${key.message}; use an OpenSSH public key line`,
      );
    }
    return [{ blob: key.getPublicSSH(), key: key as ParsedUserKey["key"] }];
  });
  return {
    name: user.name,
    passwordHash: user.password === undefined ? undefined : sha256(Buffer.from(user.password, "utf8")),
    keys,
  };
}

/** The exec channel's data as it arrives, until the client's EOF (or the channel closes). */
function stdinOf(channel: ServerChannel): StandardInput {
  const input = new StandardInput();
  const decoder = new StringDecoder("utf8");
  channel.on("data", (chunk: Buffer) => input.push(decoder.write(chunk)));
  const finish = () => {
    input.push(decoder.end());
    input.end();
  };
  channel.once("end", finish);
  channel.once("close", finish);
  return input;
}

function sha256(data: Buffer): Buffer {
  return createHash("sha256").update(data).digest();
}

// Hashes first, so the comparison takes the same time whatever the lengths.
function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function crlf(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What $env: shows on a domain-joined Windows server, e.g. COMPUTERNAME=FE01, USERDNSDOMAIN=CONTOSO.COM. */
function windowsEnvironment(fqdn: string, user: string): Record<string, string> {
  const [computer, ...domain] = fqdn.split(".");
  const dnsDomain = domain.join(".").toUpperCase();
  const name = user.split("\\").pop() ?? user;
  // A user's own temporary folder, under the profile OpenSSH starts the session in.
  const temp = `C:\\Users\\${name}\\AppData\\Local\\Temp`;
  return {
    COMPUTERNAME: computer.toUpperCase(),
    USERDNSDOMAIN: dnsDomain,
    USERDOMAIN: (dnsDomain.split(".")[0] ?? "").toUpperCase(),
    USERNAME: name,
    USERPROFILE: `C:\\Users\\${name}`,
    TEMP: temp,
    TMP: temp,
  };
}
