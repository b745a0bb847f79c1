// The Windows Remote Shell (winrshost.exe) behind the WinRM service: shells a user creates, the commands
// started in them, their standard input arriving through Send and their output leaving through Receive.
// A command's process is the same as an SSH exec's (emulator/remoteProcess.ts); only the way its
// command line is built and its streams travel differ.

import { randomUUID } from "node:crypto";
import { StringDecoder } from "node:string_decoder";
import { StandardInput } from "../powershell/standardInput";
import type { ProcessResult } from "../powershell/session";
import { runRemoteProcess, type Login, type RemoteProcessOptions } from "../remoteProcess";
import { CMD_EXE, MAX_PROCESS_COMMAND_LINE } from "../windowsProcess";
import { commandNotFound, operationTimedOut, processCreationFailed, shellNotFound } from "./wsmanFault";

/** A command's output as one Receive hands it over. */
export interface ReceivedOutput {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  /** Set once the command is done and everything has been received. */
  readonly exitCode?: number;
}

/** Thrown to a pending Receive when a fault cut the client off: the listener then drops the connection. */
export class ClientCutError extends Error {
  constructor() {
    super("The client's connection was cut by an emulator fault.");
    this.name = "ClientCutError";
  }
}

class Command {
  /** The process's standard input: each Send's data as it arrives, so it can read a line at a time. */
  readonly stdin = new StandardInput();
  private readonly decoder = new StringDecoder("utf8");
  private outputArrived: () => void = () => {};
  private stdout: Buffer = Buffer.alloc(0);
  private stderr: Buffer = Buffer.alloc(0);
  private result: ProcessResult | "dropped" | undefined;
  private settled!: () => void;
  /** Resolves when the process ends (or is cut off). */
  readonly finished = new Promise<void>((resolve) => (this.settled = resolve));
  private terminate!: () => void;
  /** Resolves when the client is gone: the command terminated or its shell deleted. */
  readonly terminated = new Promise<void>((resolve) => (this.terminate = resolve));

  constructor(readonly id: string) {}

  send(data: Buffer, end: boolean): void {
    this.stdin.push(this.decoder.write(data));
    if (end) this.endStdin();
  }

  /** Signal terminate (or Delete of the shell): standard input ends and the process's client is gone. */
  end(): void {
    this.endStdin();
    this.terminate();
  }

  /** Output the process wrote before it waits on stdin: the next Receive hands it over. */
  write(data: Buffer): void {
    this.stdout = Buffer.concat([this.stdout, data]);
    this.outputArrived();
  }

  /** Resolves when the process writes output while it runs; a Receive waits for this or the end. */
  nextOutput(): Promise<void> {
    if (this.stdout.length > 0) return Promise.resolve();
    return new Promise<void>((resolve) => (this.outputArrived = resolve));
  }

  private endStdin(): void {
    this.stdin.push(this.decoder.end());
    this.stdin.end();
  }

  finish(result: ProcessResult | "dropped", encode: (text: string) => Buffer): void {
    this.result = result;
    if (result !== "dropped") {
      this.stdout = Buffer.concat([this.stdout, encode(result.stdout)]);
      this.stderr = encode(result.stderr);
    }
    this.settled();
  }

  get cut(): boolean {
    return this.result === "dropped";
  }

  /** Takes up to `maxBytes` of output, stdout first, and the exit code once nothing is left. */
  take(maxBytes: number): ReceivedOutput {
    const stdout = this.stdout.subarray(0, maxBytes);
    const stderr = this.stderr.subarray(0, maxBytes - stdout.length);
    this.stdout = this.stdout.subarray(stdout.length);
    this.stderr = this.stderr.subarray(stderr.length);
    const drained = this.stdout.length === 0 && this.stderr.length === 0;
    const exitCode = drained && this.result && this.result !== "dropped" ? this.result.exitCode : undefined;
    return { stdout, stderr, ...(exitCode === undefined ? {} : { exitCode }) };
  }
}

class Shell {
  readonly commands = new Map<string, Command>();

  constructor(
    readonly id: string,
    readonly owner: Login,
    /** WINRS_CODEPAGE: 65001 writes UTF-8; any other code page is modelled as ASCII. [guess] */
    readonly codePage: number,
  ) {}

  close(): void {
    for (const command of this.commands.values()) command.end();
  }

  encode(text: string): Buffer {
    const crlf = text.replace(/\r?\n/g, "\r\n");
    return this.codePage === 65001
      ? Buffer.from(crlf, "utf8")
      : Buffer.from(Array.from(crlf, (ch) => (ch.charCodeAt(0) < 0x80 ? ch : "?")).join(""), "latin1");
  }
}

/** The process that hosts one remote shell, as process-creation auditing records it. */
export const WINRS_HOST = "C:\\Windows\\system32\\WinrsHost.exe -Embedding";

export class RemoteShellHost {
  private readonly shells = new Map<string, Shell>();

  constructor(private readonly process: RemoteProcessOptions) {}

  /** Create: a new cmd shell owned by `login`; returns its ShellId. */
  create(login: Login, codePage: number): string {
    const id = randomUUID().toUpperCase();
    this.shells.set(id, new Shell(id, login, codePage));
    // Each shell is hosted by a winrshost.exe of its own (event 4688 records it). [guess: the command line]
    this.process.server.appendProcessLog(WINRS_HOST);
    this.process.save();
    return id;
  }

  /**
   * Command: starts the process at once (its stdin waits for Send). Unless WINRS_SKIP_CMD_SHELL, winrshost
   * runs the line through `cmd.exe /c`, whose 8,191-character limit then applies. [guess: the exact line]
   */
  command(login: Login, shellId: string, line: string, skipCmdShell: boolean): string {
    const shell = this.shell(login, shellId);
    const commandLine = skipCmdShell ? line : `"${CMD_EXE}" /c ${line}`;
    if (commandLine.length > MAX_PROCESS_COMMAND_LINE)
      throw processCreationFailed("The filename or extension is too long.");
    const command = new Command(randomUUID().toUpperCase());
    shell.commands.set(command.id, command);
    const link = {
      closed: command.terminated,
      cut: () => this.cutOff(shell),
      write: (text: string) => command.write(shell.encode(text)),
    };
    void runRemoteProcess(this.process, shell.owner, commandLine, command.stdin, link).then(
      (result) => command.finish(result, (text) => shell.encode(text)),
      (error: Error) =>
        command.finish({ stdout: "", stderr: `${error.message}\n`, exitCode: 1 }, (t) => shell.encode(t)),
    );
    return command.id;
  }

  send(login: Login, shellId: string, commandId: string, data: Buffer, end: boolean): void {
    this.findCommand(login, shellId, commandId).send(data, end);
  }

  /**
   * Receive: waits until the command is done or has written output while it runs (waiting on stdin),
   * then hands over its output in pieces of at most `maxBytes`; a command still running with nothing
   * written after `timeoutMs` gets the w:TimedOut fault (the client asks again).
   */
  async receive(
    login: Login,
    shellId: string,
    commandId: string,
    timeoutMs: number,
    maxBytes: number,
  ): Promise<ReceivedOutput> {
    const command = this.findCommand(login, shellId, commandId);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
    const outcome = await Promise.race([command.finished, command.nextOutput(), timedOut]);
    clearTimeout(timer);
    if (command.cut) throw new ClientCutError();
    if (outcome === "timeout") throw operationTimedOut();
    return command.take(maxBytes);
  }

  /** Signal terminate: the command's client is gone; its process ends at its next command. */
  signal(login: Login, shellId: string, commandId: string): void {
    const command = this.findCommand(login, shellId, commandId);
    command.end();
    this.shell(login, shellId).commands.delete(command.id);
  }

  /** Delete: the shell and its commands go. */
  delete(login: Login, shellId: string): void {
    const shell = this.shell(login, shellId);
    this.shells.delete(shellId);
    shell.close();
  }

  /** Ends every shell (the listener stops). */
  closeAll(): void {
    for (const shell of this.shells.values()) shell.close();
    this.shells.clear();
  }

  // A fault cut the client off: the shell is lost with it, as if winrshost.exe had died.
  private cutOff(shell: Shell): void {
    this.shells.delete(shell.id);
    shell.close();
  }

  private shell(login: Login, shellId: string): Shell {
    const shell = this.shells.get(shellId.toUpperCase());
    // Another user's shell is not found either. [guess]
    if (!shell || shell.owner.name.toLowerCase() !== login.name.toLowerCase()) throw shellNotFound(shellId);
    return shell;
  }

  private findCommand(login: Login, shellId: string, commandId: string): Command {
    const command = this.shell(login, shellId).commands.get(commandId.toUpperCase());
    if (!command) throw commandNotFound(commandId);
    return command;
  }
}
