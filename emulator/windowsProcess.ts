// Process creation on an emulated Windows server: what Windows OpenSSH starts for an exec request
// (its default shell), what cmd.exe /c and powershell.exe do with their command lines, and the limits
// and records Windows keeps on the way (event 4688 for every process, 4104 for every script block).
//
// Forms sshd builds (PowerShell/openssh-portable contrib/win32/win32compat/w32-doexec.c):
//   cmd.exe:        "C:\Windows\System32\cmd.exe" /c "<command>"   (the command in quotes, not escaped)
//   powershell.exe: "<DefaultShell>" -c <command as one argument, quoted and escaped for CommandLineToArgvW>

import { encodeClixml } from "./powershell/clixml";
import { isPowerShellProgram, POWERSHELL_EXE } from "./powershell/nativeCommand";
import type { ProcessResult, RunScriptOptions, ScriptResult } from "./powershell/session";
import { StandardInput } from "./powershell/standardInput";
import { parseExecCommandLine, splitWindowsCommandLine } from "./execCommandLine";
import type { DefaultShell } from "./lyncHost";

export const CMD_EXE = "C:\\Windows\\System32\\cmd.exe";
/** CreateProcess's limit on lpCommandLine, in characters (UNICODE_STRING's 32,767). */
export const MAX_PROCESS_COMMAND_LINE = 32_767;
/** cmd.exe's limit on the line it processes. */
const MAX_CMD_COMMAND_LINE = 8_191;

/** What a process needs from the server it runs on. */
export interface WindowsMachine {
  /** Runs one powershell.exe's script in a fresh runspace, with the server's commands and hooks. */
  runPowerShell(
    script: string,
    options: Pick<RunScriptOptions, "stdin" | "onScriptBlock" | "startProcess" | "onStdout">,
  ): Promise<ScriptResult>;
  /** Event 4688: a process was created with this command line. */
  logProcess(commandLine: string): void;
  /** Event 4104: a script block was compiled with this text. */
  logScriptBlock(text: string): void;
  readonly environment: Readonly<Record<string, string>>;
}

/** The command line sshd creates for an exec request under a default shell. */
export function shellCommandLine(shell: DefaultShell, command: string): string {
  if (shell === "cmd") return `"${CMD_EXE}" /c "${command}"`;
  return `"${POWERSHELL_EXE}" -c ${quoteArgument(command)}`;
}

/** Quotes one argument so CommandLineToArgvW gives it back unchanged (how sshd's spawn escapes argv). [guess] */
function quoteArgument(arg: string): string {
  if (arg !== "" && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  for (let i = 0; i < arg.length; i++) {
    let slashes = 0;
    while (arg[i] === "\\") {
      slashes++;
      i++;
    }
    if (i === arg.length) {
      out += "\\".repeat(slashes * 2);
      break;
    }
    if (arg[i] === '"') out += "\\".repeat(slashes * 2 + 1) + '"';
    else out += "\\".repeat(slashes) + arg[i];
  }
  return out + '"';
}

/** Thrown when CreateProcess refuses a command line: the caller reports it its own way. */
class ProcessCreationError extends Error {
  constructor(readonly commandLine: string) {
    super("The filename or extension is too long.");
    this.name = "ProcessCreationError";
  }
}

/** Where a process writes its stdout while it runs; what is not written by the end is in its result. */
export type StdoutWriter = (text: string) => void;

/**
 * CreateProcess: checks the limit, records event 4688, runs the program. `stdout` is the handle the
 * process inherits (the SSH channel); without it the caller captures the output from the result.
 */
export async function createProcess(
  machine: WindowsMachine,
  commandLine: string,
  stdin: StandardInput,
  stdout?: StdoutWriter,
): Promise<ProcessResult> {
  if (commandLine.length > MAX_PROCESS_COMMAND_LINE) throw new ProcessCreationError(commandLine);
  const program = splitWindowsCommandLine(commandLine)[0]?.value ?? "";
  machine.logProcess(commandLine);
  if (/^(?:.*[\\/])?cmd(?:\.exe)?$/i.test(program)) return runCmd(machine, commandLine, stdin, stdout);
  if (isPowerShellProgram(program)) return runPowerShellExe(machine, commandLine, stdin, stdout);
  return {
    stdout: "",
    stderr: `The emulator cannot start ${program}: only cmd.exe and powershell.exe exist.\r\n`,
    exitCode: 1,
  };
}

/** cmd.exe /c: one program, started with the rest of the line as its command line. */
async function runCmd(
  machine: WindowsMachine,
  commandLine: string,
  stdin: StandardInput,
  stdout?: StdoutWriter,
): Promise<ProcessResult> {
  const at = /\s\/c\s/i.exec(commandLine);
  if (!at) return { stdout: "", stderr: "The emulator's cmd.exe runs only `cmd.exe /c <command>`.\r\n", exitCode: 1 };
  let line = commandLine.slice(at.index + at[0].length);
  // [guess]: the limit counts the text after /c, quotes included.
  if (line.length > MAX_CMD_COMMAND_LINE)
    return { stdout: "", stderr: "The command line is too long.\r\n", exitCode: 1 };
  // cmd /c strips the first quote and the last one when the line starts with a quote (its rule 2).
  if (line.startsWith('"')) {
    const last = line.lastIndexOf('"');
    line = last > 0 ? line.slice(1, last) + line.slice(last + 1) : line.slice(1);
  }
  line = line.replace(/%([^%\s]+)%/g, (whole, name: string) => {
    const key = Object.keys(machine.environment).find((k) => k.toLowerCase() === name.toLowerCase());
    return key ? machine.environment[key] : whole;
  });
  const special = unquotedSpecial(line);
  if (special) {
    return {
      stdout: "",
      stderr: `The emulator's cmd.exe does not model '${special}' (pipes, command chaining, redirection and grouping are unsupported); run one program, e.g. powershell.exe -EncodedCommand ….\r\n`,
      exitCode: 1,
    };
  }
  const words = splitWindowsCommandLine(line);
  const program = words[0]?.value ?? "";
  if (program === "") return { stdout: "", stderr: "", exitCode: 0 };
  // The one internal command modelled: `exit [/b] [code]`.
  if (program.toLowerCase() === "exit") {
    const code = words.slice(1).find((w) => !/^\/b$/i.test(w.value))?.value ?? "0";
    return { stdout: "", stderr: "", exitCode: /^-?\d+$/.test(code) ? Number(code) : 0 };
  }
  if (!isPowerShellProgram(program)) {
    return {
      stdout: "",
      stderr: `'${program}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`,
      exitCode: 9009,
    };
  }
  try {
    // The program inherits cmd.exe's standard handles.
    return await createProcess(machine, line.trim(), stdin, stdout);
  } catch (error) {
    if (error instanceof ProcessCreationError) return { stdout: "", stderr: `${error.message}\r\n`, exitCode: 1 };
    throw error;
  }
}

/** The first of & | < > ( ) ^ outside double quotes, or undefined. */
function unquotedSpecial(line: string): string | undefined {
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && "&|<>()^".includes(ch)) return ch;
  }
  return undefined;
}

/** powershell.exe: its switches, the script (and where it comes from), and the stream format. */
async function runPowerShellExe(
  machine: WindowsMachine,
  commandLine: string,
  stdin: StandardInput,
  stdout?: StdoutWriter,
): Promise<ProcessResult> {
  const parsed = parseExecCommandLine(commandLine);
  if (parsed.kind === "error") return { stdout: "", stderr: `${parsed.message}\r\n`, exitCode: 1 };
  const fromStdin = parsed.kind === "stdin";
  // [guess]: -Command - runs stdin as one script; 5.1 reads it line by line (a multi-line construct then needs a blank line).
  const script = fromStdin ? await stdin.readToEnd() : parsed.script;
  // Error format XML with a redirected stderr, which an SSH exec without a pty always has.
  const clixml = fromStdin || (parsed.kind === "script" && parsed.encoded === true);
  machine.logScriptBlock(script);
  const result = await machine.runPowerShell(script, {
    stdin,
    onStdout: stdout,
    onScriptBlock: (text) => machine.logScriptBlock(text),
    startProcess: async (childLine, childStdin) => {
      try {
        return await createProcess(machine, childLine, childStdin ?? StandardInput.of(""));
      } catch (error) {
        if (!(error instanceof ProcessCreationError)) throw error;
        return { stdout: "", stderr: `Program 'powershell.exe' failed to run: ${error.message}\r\n`, exitCode: 1 };
      }
    },
  });
  // A runner without records (a test's stand-in) has its stderr taken as error text.
  const records = result.records ?? (result.stderr ? [{ stream: "error" as const, text: result.stderr }] : []);
  const stderr = clixml ? encodeClixml(records) : result.stderr;
  return { stdout: result.stdout, stderr, exitCode: result.exitCode };
}
