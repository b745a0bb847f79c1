import type { CommandContext } from "../powershell/command";
import type { LyncHost } from "../lyncHost";

/** The emulated server a cmdlet runs on; the interpreter hands it over opaque. */
export function lyncHostOf(context: CommandContext): LyncHost {
  if (context.host === undefined || context.host === null) {
    throw new Error("running a Lync cmdlet: the runspace has no Lync host (pass host: LyncHost to runScript)");
  }
  return context.host as LyncHost;
}
