// What an SSH exec request asks Windows OpenSSH to run, turned into a PowerShell script.
//
// Two shapes reach a Lync server: `powershell.exe ... -EncodedCommand <base64 UTF-16LE>` (works
// whatever the OpenSSH default shell is, needs no quoting) and a bare PowerShell command line
// (when PowerShell is the default shell). powershell.exe's own switches are case-insensitive and
// take unambiguous prefixes plus the documented short forms (-nop, -noni, -enc, -e, -ec, -ep, -c);
// the first argument that is not one of its switches starts the command, as powershell.exe does.

export type ExecRequest =
  | {
      readonly kind: "script";
      readonly script: string;
      readonly viaPowerShellExe: boolean;
      /** -EncodedCommand: powershell.exe then writes its other streams to a redirected stderr as CLIXML. */
      readonly encoded?: true;
    }
  | { readonly kind: "error"; readonly message: string }
  /** `-Command -`: the script arrives on standard input. */
  | { readonly kind: "stdin" };

interface SwitchSpec {
  readonly name: string;
  readonly takesValue: boolean;
  readonly aliases: readonly string[];
}

const SWITCHES: readonly SwitchSpec[] = [
  { name: "NoProfile", takesValue: false, aliases: ["nop"] },
  { name: "NonInteractive", takesValue: false, aliases: ["noni"] },
  { name: "NoLogo", takesValue: false, aliases: [] },
  { name: "NoExit", takesValue: false, aliases: [] },
  { name: "Sta", takesValue: false, aliases: [] },
  { name: "Mta", takesValue: false, aliases: [] },
  { name: "ExecutionPolicy", takesValue: true, aliases: ["ep", "ex"] },
  { name: "OutputFormat", takesValue: true, aliases: ["o", "of"] },
  { name: "InputFormat", takesValue: true, aliases: ["if"] },
  { name: "WindowStyle", takesValue: true, aliases: ["w"] },
  { name: "Version", takesValue: true, aliases: ["v"] },
  { name: "EncodedCommand", takesValue: true, aliases: ["e", "ec", "enc"] },
  { name: "Command", takesValue: true, aliases: ["c"] },
  { name: "File", takesValue: true, aliases: ["f"] },
];

/** Decodes an exec request's command string. */
export function parseExecCommandLine(commandLine: string): ExecRequest {
  const tokens = splitWindowsCommandLine(commandLine);
  const program = tokens[0]?.value ?? "";
  const base = program.replace(/^.*[\\/]/, "").toLowerCase();
  if (base !== "powershell" && base !== "powershell.exe") {
    return { kind: "script", script: commandLine, viaPowerShellExe: false };
  }

  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i];
    const spec =
      token.value.startsWith("-") || token.value.startsWith("/") ? findSwitch(token.value.slice(1)) : undefined;
    if (!spec) {
      // The rest of the line is the command, as typed (powershell.exe joins its arguments).
      return { kind: "script", script: commandLine.slice(token.start), viaPowerShellExe: true };
    }
    if (!spec.takesValue) continue;
    const value = tokens[i + 1];
    if (spec.name === "Command") {
      if (!value)
        return {
          kind: "error",
          message: "Cannot process the command because of a missing parameter. A command must follow -Command.",
        };
      if (value.value === "-" && !value.quoted && i + 2 === tokens.length) return { kind: "stdin" };
      return {
        kind: "script",
        script: value.quoted && i + 2 === tokens.length ? value.value : commandLine.slice(value.start),
        viaPowerShellExe: true,
      };
    }
    if (!value) {
      return {
        kind: "error",
        message: `Missing argument for parameter -${spec.name}. Specify a parameter of type '${spec.name === "EncodedCommand" ? "Base64 string" : "String"}' and try again.`,
      };
    }
    i++;
    if (spec.name === "EncodedCommand") return decodeEncodedCommand(value.value);
    if (spec.name === "File") {
      return {
        kind: "error",
        message: `-File is not supported by the emulator; send the script with -EncodedCommand instead (got ${value.value}).`,
      };
    }
    if (spec.name === "OutputFormat" && !/^(text|xml)$/i.test(value.value)) {
      return {
        kind: "error",
        message: `Cannot process the command because the value "${value.value}" of -OutputFormat is not valid. Specify Text or XML.`,
      };
    }
    // Serialized CLIXML output is not emulated; answering with text would mislead the caller.
    if (spec.name === "OutputFormat" && /^xml$/i.test(value.value)) {
      return { kind: "error", message: "-OutputFormat XML is not supported by the emulator; use -OutputFormat Text." };
    }
  }
  return {
    kind: "error",
    message: "The emulator runs no interactive PowerShell session; pass a command with -EncodedCommand or -Command.",
  };
}

/** Base64 of the UTF-16LE script, as -EncodedCommand takes it. */
export function encodePowerShellCommand(script: string): string {
  return Buffer.from(script, "utf16le").toString("base64");
}

function decodeEncodedCommand(value: string): ExecRequest {
  const clean = value.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0 || clean.length === 0) {
    return {
      kind: "error",
      message:
        "Cannot process the command because the value specified with -EncodedCommand is not properly encoded. The value must be Base64 encoded.",
    };
  }
  let script = Buffer.from(clean, "base64").toString("utf16le");
  if (script.charCodeAt(0) === 0xfeff) script = script.slice(1);
  return { kind: "script", script, viaPowerShellExe: true, encoded: true };
}

function findSwitch(text: string): SwitchSpec | undefined {
  const lower = text.toLowerCase();
  if (lower === "") return undefined;
  const exact = SWITCHES.find((s) => s.name.toLowerCase() === lower || s.aliases.includes(lower));
  if (exact) return exact;
  const prefixed = SWITCHES.filter((s) => s.name.toLowerCase().startsWith(lower));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

interface Token {
  readonly value: string;
  /** Offset of the token in the command line. */
  readonly start: number;
  readonly quoted: boolean;
}

/** CommandLineToArgvW's rules: whitespace separates, double quotes group, backslashes escape quotes. */
export function splitWindowsCommandLine(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    const start = i;
    let value = "";
    let inQuotes = false;
    let quoted = false;
    while (i < line.length && (inQuotes || !/\s/.test(line[i]))) {
      const ch = line[i];
      if (ch === "\\") {
        let slashes = 0;
        while (line[i] === "\\") {
          slashes++;
          i++;
        }
        if (line[i] === '"') {
          value += "\\".repeat(Math.floor(slashes / 2));
          if (slashes % 2 === 1) {
            value += '"';
            i++;
          }
        } else value += "\\".repeat(slashes);
        continue;
      }
      if (ch === '"') {
        inQuotes = !inQuotes;
        quoted = true;
        i++;
        continue;
      }
      value += ch;
      i++;
    }
    tokens.push({ value, start, quoted });
  }
  return tokens;
}
