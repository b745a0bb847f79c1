// What a failed remote script becomes: an Error saying what was being done, where, and what
// PowerShell said (never the source line it echoes, which may hold a secret).

import type { RemoteScript } from "./remoteInvocation";
import type { RemotePowerShell, ScriptOutput } from "./sshTransport";

/** An Error for a script that failed: what was being done, where, and what PowerShell said. */
export function scriptError(
  doing: string,
  output: { stderr: string; stdout: string; exitCode: number },
  module?: string,
): Error {
  const said = firstLines(output.stderr || output.stdout);
  const hint = /module '?(Lync|SkypeForBusiness)'? was not loaded|specified module/i.test(said)
    ? `; is the ${module ?? "Lync"} module installed on this server? Set managementModule to "SkypeForBusiness" on Skype for Business Server`
    : "";
  return new Error(`${doing}: PowerShell exited with ${output.exitCode}: ${said}${hint}`);
}

/** Runs a script; a non-zero exit fails with scriptError, naming `what` and the server. */
export async function runChecked(
  session: RemotePowerShell,
  script: RemoteScript,
  what: string,
  server: string,
  module?: string,
): Promise<ScriptOutput> {
  const output = await session.run(script, { what });
  if (output.exitCode !== 0) throw scriptError(`${what} on ${server}`, output, module);
  return output;
}

function firstLines(text: string): string {
  // PowerShell echoes the failing source line after "+ "; it may hold a password literal.
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0 && !l.trimStart().startsWith("+"))
    .slice(0, 3);
  return lines.join(" | ") || "(no output)";
}
