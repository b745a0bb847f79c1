// One emulated server's SSH endpoint, as Windows OpenSSH with PowerShell behind it.
//
// Exec requests only: each runs one process (emulator/remoteProcess.ts; powershell.exe is a fresh
// runspace) and ends with its exit status. The channel's data is the process's stdin as it arrives; what
// the process writes before it waits on stdin reaches the client at once, so a client can converse with a
// looping script. Output uses CRLF line endings, as Windows' console writes them; clients that compare
// text should split on /\r?\n/. A fault's "drop" destroys the TCP connection so the client sees no exit
// status, exactly like a network failure mid-script.

import { createHash, timingSafeEqual } from "node:crypto";
import { StringDecoder } from "node:string_decoder";
import { createServer, type AddressInfo, type Server as NetServer, type Socket } from "node:net";
import { Server as SshServer, utils as sshUtils, type Connection, type ServerChannel } from "ssh2";
import type { HostKey } from "./emulatorState";
import { MAX_PROCESS_COMMAND_LINE, shellCommandLine } from "./windowsProcess";
import type { DefaultShell } from "./lyncHost";
import { StandardInput } from "./powershell/standardInput";
import { runRemoteProcess, type Login, type RemoteProcessOptions } from "./remoteProcess";

export { ConnectionDroppedError, type ScriptRunner } from "./remoteProcess";

export interface EmulatorUser {
  /** Login name as the SSH client sends it, e.g. "lyncadmin"; CA enroll rights match it against the topology's enrollers ("CONTOSO\\lyncadmin" matches "lyncadmin"). */
  readonly name: string;
  readonly password?: string;
  /** OpenSSH public key lines (authorized_keys format). */
  readonly authorizedKeys?: readonly string[];
  /**
   * A member of Administrators or Remote Management Users, whom WinRM lets in; others authenticate and then
   * get WinRM's access-denied fault. @default true
   */
  readonly remoteManagementUser?: boolean;
}

export interface SshFrontDoorOptions extends RemoteProcessOptions {
  readonly hostKey: HostKey;
  readonly users: readonly EmulatorUser[];
  /** What OpenSSH runs exec requests through. @default "cmd" */
  readonly defaultShell?: DefaultShell;
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
    const commandLine = shellCommandLine(this.options.defaultShell ?? "cmd", command);
    // A process that waits on stdin has written its output so far: the client sees it at once.
    let channelClosed = false;
    channel.once("close", () => (channelClosed = true));
    const link = {
      closed,
      cut: () => socket.destroy(),
      write: (text: string) => {
        if (!channelClosed) channel.write(crlf(text));
      },
    };
    // A door that is stopping does not save after its last processes end: the emulator saves its state itself.
    const save = () => {
      if (!this.stopped) this.options.save();
    };
    const result = await runRemoteProcess({ ...this.options, save }, login, commandLine, stdinOf(channel), link);
    if (result === "dropped") return;
    if (result.stdout) channel.write(crlf(result.stdout));
    if (result.stderr) channel.stderr.write(crlf(result.stderr));
    channel.exit(result.exitCode);
    channel.end();
  }
}

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
