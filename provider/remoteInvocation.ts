// How a script and its data reach powershell.exe on a Windows server, whatever carries them (an SSH
// exec channel, later a WinRM shell).
//
// The command line is constant: `powershell.exe … -EncodedCommand <bootstrap>`, about 700
// characters, far below cmd.exe's 8,191 and the same bytes every time, so nothing a user typed and
// no secret ever reaches a process command line (event 4688, EDR). The bootstrap reads standard
// input, one `name:base64(UTF-8)` line each: `-` is the script, every other line one string
// parameter. The script is compiled with [scriptblock]::Create and called with the parameters
// splatted, so secrets are bound values, never script text (event 4104 logs text, not values).
// Base64 keeps the data immune to the console's OEM code page.

/** The bootstrap, kept short and free of user data; its text is what script block logging records. */
export const BOOTSTRAP_SCRIPT =
  "$ErrorActionPreference='Stop';$u=[Text.Encoding]::UTF8;$s='';$a=@{};" +
  "foreach($l in $input){if($l){$k,$v=$l -split ':',2;$t=$u.GetString([Convert]::FromBase64String($v));" +
  "if($k -eq '-'){$s=$t}else{$a[$k]=$t}}};& ([scriptblock]::Create($s)) @a";

/** The one command line every remote call uses. */
export const BOOTSTRAP_COMMAND_LINE = `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${Buffer.from(
  BOOTSTRAP_SCRIPT,
  "utf16le",
).toString("base64")}`;

/** A script and the string values bound to its `param()` block. */
export interface RemoteScript {
  readonly script: string;
  /** Parameter name to value; names are PowerShell identifiers, values any text (secrets included). */
  readonly parameters?: Readonly<Record<string, string>>;
}

const PARAMETER_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** What is written to the process's standard input: the script line, then one line per parameter. */
export function stdinEnvelope({ script, parameters = {} }: RemoteScript): string {
  const line = (name: string, value: string) => `${name}:${Buffer.from(value, "utf8").toString("base64")}\n`;
  let envelope = line("-", script);
  for (const [name, value] of Object.entries(parameters)) {
    if (!PARAMETER_NAME.test(name))
      throw new Error(`building a script: ${JSON.stringify(name)} is not a parameter name`);
    envelope += line(name, value);
  }
  return envelope;
}
