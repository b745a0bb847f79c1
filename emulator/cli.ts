#!/usr/bin/env node
// lync-emulator: starts every server of a topology and prints one JSON line when ready:
//   {"servers":[{"fqdn":"fe01.contoso.com","host":"127.0.0.1","port":50123,"hostKey":"ssh-ed25519 AAAA...",
//     "winrmPort":50124,"winrmCertificateSha256":"AB:CD:...","winrmHttpPort":50125}]}
// Everything else goes to stderr, so callers can read stdout's first line as the handshake.

import { readFileSync } from "node:fs";
import { startEmulator, type DefaultShell, type EmulatorUser, type RunningEmulator } from "./index";
import { SAMPLE_TOPOLOGY_PATH } from "./topology";

const USAGE =
  "usage: lync-emulator --state <dir> [--topology <file>] [--default-shell cmd|powershell] [--authorized-keys <file>] [--password <user>:<password>]...";

export interface CliOptions {
  readonly topology: string;
  readonly stateDir: string;
  readonly users: EmulatorUser[];
  /** Overrides the topology's defaultShell on every server. */
  readonly defaultShell?: DefaultShell;
}

/** Parses the command line; throws an Error whose message is fit for stderr. */
export function parseCliArguments(argv: readonly string[]): CliOptions {
  let topology: string | undefined;
  let stateDir: string | undefined;
  let authorizedKeysFile: string | undefined;
  let defaultShell: DefaultShell | undefined;
  const passwords: { name: string; password: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith("--")))
        throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case "--topology":
        topology = value();
        break;
      case "--state":
        stateDir = value();
        break;
      case "--default-shell":
        defaultShell = defaultShellArgument(value());
        break;
      case "--authorized-keys":
        authorizedKeysFile = value();
        break;
      case "--password":
        passwords.push(passwordArgument(value()));
        break;
      case "--help":
      case "-h":
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument ${flag}\n${USAGE}`);
    }
  }
  if (!stateDir) throw new Error(`--state <dir> is required: the emulator keeps its servers' state there\n${USAGE}`);
  let authorizedKeys: string[] | undefined;
  if (authorizedKeysFile) {
    try {
      authorizedKeys = readFileSync(authorizedKeysFile, "utf8")
        .split(/\r?\n/)
        .filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
    } catch (cause) {
      throw new Error(
        `reading --authorized-keys ${authorizedKeysFile}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
      );
    }
  }
  const users: EmulatorUser[] = passwords.map((p) => ({ name: p.name, password: p.password, authorizedKeys }));
  if (users.length === 0 && authorizedKeys) users.push({ name: "lyncadmin", authorizedKeys });
  if (users.length === 0) {
    throw new Error(
      `no way to log in: give --password <user>:<password> or --authorized-keys <file> (for user lyncadmin)\n${USAGE}`,
    );
  }
  return { topology: topology ?? SAMPLE_TOPOLOGY_PATH, stateDir, users, ...(defaultShell ? { defaultShell } : {}) };
}

function defaultShellArgument(value: string): DefaultShell {
  if (value !== "cmd" && value !== "powershell")
    throw new Error(`--default-shell takes cmd or powershell (got ${value})\n${USAGE}`);
  return value;
}

function passwordArgument(value: string): { name: string; password: string } {
  const colon = value.indexOf(":");
  if (colon <= 0)
    throw new Error(
      `--password takes <user>:<password>, e.g. --password lyncadmin:Pa55word (got no user name)\n${USAGE}`,
    );
  return { name: value.slice(0, colon), password: value.slice(colon + 1) };
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`lync-emulator: ${(error as Error).message}\n`);
    process.exit(2);
  }
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({
      topology: options.topology,
      stateDir: options.stateDir,
      users: options.users,
      defaultShell: options.defaultShell,
    });
  } catch (error) {
    process.stderr.write(`lync-emulator: ${(error as Error).message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`lync-emulator: ${signal}, stopping\n`);
    emulator.stop().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`lync-emulator: stopping: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.stdout.write(`${JSON.stringify({ servers: emulator.servers })}\n`);
}

if (require.main === module) void main();
