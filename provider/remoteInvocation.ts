// How a script and its data reach powershell.exe on a Windows server, whatever carries them (an SSH
// exec channel, later a WinRM shell). Pure: no I/O; the transports write what this builds to the
// process's standard input and cut its standard output with ScriptOutputFrames.
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

// ---- one powershell.exe for several scripts ----
//
// Starting powershell.exe and importing the Lync module costs seconds per process on a real server,
// so one operation (an `up`'s refresh, request, assignment and read-back on one server) runs all of
// its scripts in ONE process: the session bootstrap reads envelopes from standard input one line at
// a time with [Console]::In.ReadLine() (.NET returns each line as it arrives over a pipe, unlike
// `$input` and ReadToEnd(), which wait for EOF), runs each script as it completes, and writes
// END_OF_SCRIPT after its output. An envelope is stdinEnvelope's lines and one blank line; EOF (the
// transport closing stdin) ends the loop and the process with exit code 0. A script that fails with
// a terminating error, or calls `exit`, ends the process as the one-shot bootstrap would: the
// transport then reports that script's exit code and error stream, and the next script starts a new
// process. Each script still runs in its own child scope ([scriptblock]::Create, `&`): its variables
// and functions do not leak into the next one; imported modules stay loaded, which is the point.

/** The line the session bootstrap writes after each script's output, on a line of its own. */
export const END_OF_SCRIPT = "#pulumi-lync: end of script#";

/** The looping bootstrap; constant, free of user data, like BOOTSTRAP_SCRIPT. */
export const SESSION_BOOTSTRAP_SCRIPT =
  "$ErrorActionPreference='Stop';$u=[Text.Encoding]::UTF8;" +
  "while($true){$s=$null;$a=@{};" +
  "while($l=[Console]::In.ReadLine()){$k,$v=$l -split ':',2;$t=$u.GetString([Convert]::FromBase64String($v));" +
  "if($k -eq '-'){$s=$t}else{$a[$k]=$t}};" +
  `if($null -eq $s){break};& ([scriptblock]::Create($s)) @a;'${END_OF_SCRIPT}'}`;

/** The command line that starts a session process. */
export const SESSION_COMMAND_LINE = `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${Buffer.from(
  SESSION_BOOTSTRAP_SCRIPT,
  "utf16le",
).toString("base64")}`;

/** What the transport writes to a session process for one script: the envelope and a blank line. */
export function sessionEnvelope(script: RemoteScript): string {
  return `${stdinEnvelope(script)}\n`;
}

/**
 * Cuts a session process's standard output into the outputs of its scripts. Feed it text as it
 * arrives; each END_OF_SCRIPT line completes one script's output (the text before it).
 */
export class ScriptOutputFrames {
  private buffered = "";
  private searchedTo = 0;

  /** Adds output; returns the outputs of the scripts it completed, in order. */
  push(text: string): string[] {
    this.buffered += text;
    const done: string[] = [];
    for (;;) {
      const end = this.findEnd();
      if (!end) return done;
      done.push(this.buffered.slice(0, end.start));
      this.buffered = this.buffered.slice(end.next);
      this.searchedTo = 0;
    }
  }

  /** Output of the script still running (what came before the process ended, if it did). */
  get pending(): string {
    return this.buffered;
  }

  private findEnd(): { start: number; next: number } | undefined {
    for (let at = this.buffered.indexOf(END_OF_SCRIPT, this.searchedTo); at >= 0;) {
      const lineStart = at === 0 || this.buffered[at - 1] === "\n";
      const after = this.buffered.slice(at + END_OF_SCRIPT.length, at + END_OF_SCRIPT.length + 2);
      const terminator = after.startsWith("\r\n") ? 2 : after.startsWith("\n") ? 1 : 0;
      // A CR alone may be the first half of CRLF: wait for more.
      if (lineStart && terminator === 0 && (after === "" || after === "\r")) break;
      if (lineStart && terminator > 0) return { start: at, next: at + END_OF_SCRIPT.length + terminator };
      at = this.buffered.indexOf(END_OF_SCRIPT, at + 1);
    }
    // Resume the search where a marker could still be completed.
    this.searchedTo = Math.max(0, this.buffered.length - END_OF_SCRIPT.length - 2);
    return undefined;
  }
}
