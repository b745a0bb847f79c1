// A stand-in for the PowerShell interpreter, so the front door, faults and persistence can be
// tested without it. One instruction per line:
//   run <Command> [<JSON parameters>]   beforeCommand, the command's effect, afterCommand
//   echo <text> | warn <text> | exit <n> | whoami | now
// The only command with an effect is Stop-CsWindowsService (stops RTCSRV), enough to see whether a
// command ran.

import type { LyncServer } from "lync-server-emulator/dist/lyncServer";
import type { ScriptRunner } from "lync-server-emulator/dist/sshFrontDoor";

export const standInRunner: ScriptRunner = async (script, options) => {
  const host = options.host as LyncServer;
  let stdout = "";
  let stderr = "";
  for (const line of script.split(/\r?\n/)) {
    const [word, ...rest] = line.trim().split(" ");
    const argument = rest.join(" ");
    switch (word) {
      case "run": {
        const [name, ...json] = argument.split(" ");
        const parameters = json.length > 0 ? (JSON.parse(json.join(" ")) as Record<string, unknown>) : {};
        await options.beforeCommand?.(name, parameters);
        if (name.toLowerCase() === "stop-cswindowsservice") host.setServiceState("RTCSRV", "Stopped");
        await options.afterCommand?.(name, parameters);
        break;
      }
      case "echo":
        stdout += `${argument}\n`;
        break;
      case "warn":
        stderr += `${argument}\n`;
        break;
      case "exit":
        return { stdout, stderr, exitCode: Number(argument) };
      case "whoami":
        stdout += `${host.user}\n`;
        break;
      case "now":
        stdout += `${options.now?.().toISOString()}\n`;
        break;
      case "":
        break;
      default:
        stderr += `The term '${word}' is not recognized as the name of a cmdlet, function, script file, or operable program.\n`;
        return { stdout, stderr, exitCode: 1 };
    }
  }
  return { stdout, stderr, exitCode: 0 };
};
