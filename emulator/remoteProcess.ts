// One process started on an emulated server for a remote client, whatever the door it came through
// (an SSH exec request, a WinRM shell's Command): the logon it runs as, the server's commands and
// records, and the test faults that cut the client off mid-script.

import { redactParameters } from "./auditParameters";
import { serverCommandsWith } from "./cmdlets/index";
import { managementModuleOf } from "./topology";
import { runScript as interpret } from "./powershell/interpreter";
import type { LoginKind } from "./lyncHost";
import type { LyncServer } from "./lyncServer";
import type { CommandDefinition } from "./powershell/command";
import type { ProcessResult, RunScriptOptions, ScriptResult } from "./powershell/session";
import type { StandardInput } from "./powershell/standardInput";
import { createProcess, type WindowsMachine } from "./windowsProcess";

export type ScriptRunner = (script: string, options: RunScriptOptions) => Promise<ScriptResult>;

/** Who a remote session runs as; the kind decides whether it has network credentials. */
export interface Login {
  /** "lyncadmin" (a domain account of the topology's domain) or "FE01\\lyncadmin" (a local account). */
  readonly name: string;
  readonly kind: LoginKind;
}

/** What every door shares for one server. */
export interface RemoteProcessOptions {
  readonly server: LyncServer;
  /** Persists the server's state; called after every process, and before a drop after a command. */
  readonly save: () => void;
  /** @default the PowerShell interpreter (emulator/powershell/interpreter.ts) */
  readonly runScript?: ScriptRunner;
  /** @default the commands of emulator/cmdlets/index.ts, the Cs cmdlets in the server's management module */
  readonly commands?: readonly CommandDefinition[];
}

/** The client end of a process: the SSH channel's connection, or the WinRM shell. */
export interface ClientLink {
  /** Resolves once the client is gone (its connection closed, its shell deleted or its command terminated). */
  readonly closed: Promise<void>;
  /** Cuts the client off as a network failure would: it never learns how the process ended. */
  cut(): void;
  /**
   * Hands the client what the process wrote while it runs (before it waits on stdin); the result holds
   * only what came after. Without it the client gets all the output with the result.
   */
  readonly write?: (text: string) => void;
}

/** Thrown into the interpreter to end a script whose client is gone. */
export class ConnectionDroppedError extends Error {
  constructor(reason: string) {
    super(`The client's connection was closed (${reason}).`);
    this.name = "ConnectionDroppedError";
  }
}

/**
 * Creates the process for `commandLine` as `login`, with the faults set on the server. Resolves with how it
 * ended, or with "dropped" when a fault (or the client) cut the link first. Saves the state either way.
 */
export async function runRemoteProcess(
  options: RemoteProcessOptions,
  login: Login,
  commandLine: string,
  stdin: StandardInput,
  link: ClientLink,
): Promise<ProcessResult | "dropped"> {
  const host = options.server.withUser(login.name, login.kind);
  let dropped = false;
  const drop = (reason: string): never => {
    dropped = true;
    link.cut();
    throw new ConnectionDroppedError(reason);
  };
  void link.closed.then(() => {
    dropped = true;
  });
  const runScript = options.runScript ?? interpret;
  const module = managementModuleOf(options.server.pool);
  const commands = options.commands ?? serverCommandsWith(module);
  const environment = windowsEnvironment(host.fqdn, host.user, host.pool.role !== "Edge");
  const machine: WindowsMachine = {
    environment,
    logProcess: (line) => host.appendProcessLog(line),
    logScriptBlock: (text) => host.appendScriptBlockLog(text),
    runPowerShell: (script, extra) =>
      runScript(script, {
        ...extra,
        fileSystem: host.fileSystem,
        commands,
        host,
        now: () => host.now(),
        environment,
        // The product's module is on PSModulePath, so its first Cs cmdlet imports it.
        autoLoadModules: [module],
        beforeCommand: async (name, parameters) => {
          if (dropped) throw new ConnectionDroppedError("client gone");
          if (host.hangsAt(name)) {
            await link.closed;
            throw new ConnectionDroppedError(`hang at ${name}`);
          }
          if (host.consumeDrop(name, "before")) {
            options.save();
            drop(`fault: drop before ${name}`);
          }
          const latency = host.latencyBefore(name);
          if (latency > 0) await Promise.race([sleep(latency), link.closed]);
          if (dropped) throw new ConnectionDroppedError("client gone");
          host.appendAudit(name, redactParameters(parameters));
        },
        afterCommand: (name) => {
          if (host.consumeDrop(name, "after")) {
            // The command's effect stays, as on a real server that loses its network afterwards.
            options.save();
            drop(`fault: drop after ${name}`);
          }
        },
      }),
  };

  let result: ProcessResult;
  try {
    const write = link.write;
    const stdout = write
      ? (text: string) => {
          if (!dropped) write(text);
        }
      : undefined;
    result = await createProcess(machine, commandLine, stdin, stdout);
  } catch (error) {
    if (dropped) {
      options.save();
      return "dropped";
    }
    result = {
      stdout: "",
      stderr: `The emulator failed to run the command on ${host.fqdn}: ${(error as Error).message}\n`,
      exitCode: 1,
    };
  }
  options.save();
  return dropped ? "dropped" : result;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * What $env: shows on a domain-joined Windows server, e.g. COMPUTERNAME=FE01, USERDNSDOMAIN=CONTOSO.COM. An
 * Edge Server is in a workgroup: a local logon has no USERDNSDOMAIN and its USERDOMAIN is the computer.
 */
function windowsEnvironment(fqdn: string, user: string, domainJoined: boolean): Record<string, string> {
  const [computer, ...domain] = fqdn.split(".");
  const dnsDomain = domain.join(".").toUpperCase();
  const name = user.split("\\").pop() ?? user;
  // A user's own temporary folder, under the profile the session starts in.
  const temp = `C:\\Users\\${name}\\AppData\\Local\\Temp`;
  return {
    COMPUTERNAME: computer.toUpperCase(),
    ...(domainJoined ? { USERDNSDOMAIN: dnsDomain } : {}),
    USERDOMAIN: domainJoined ? (dnsDomain.split(".")[0] ?? "").toUpperCase() : computer.toUpperCase(),
    USERNAME: name,
    USERPROFILE: `C:\\Users\\${name}`,
    TEMP: temp,
    TMP: temp,
  };
}
