import type { CommandDefinition } from "../powershell/command";
import { boundPaths, certificateDriveItems, certificatePath, pathParameterSets } from "./certificateDrive";
import { lyncHostOf } from "./cmdletSupport";

const NAME = "Get-ChildItem";

/**
 * Get-ChildItem on the Cert: drive only: the certificates of Cert:\LocalMachine\My or \REQUEST, or one
 * certificate by path (a leaf lists as itself). Stores are flat, so -Recurse changes nothing.
 */
export const getChildItem: CommandDefinition = {
  name: NAME,
  parameterSets: pathParameterSets(["Items", "LiteralItems"], { pathMandatory: false }, [
    { name: "Recurse", type: "switch" },
    { name: "Force", type: "switch" },
  ]),
  invoke(context) {
    const host = lyncHostOf(context);
    const paths = boundPaths(context.parameters.Path ?? context.parameters.LiteralPath);
    // Without -Path it lists the current location, a file system folder the emulator cannot list: fail loudly.
    if (paths.length === 0) paths.push(".");
    for (const path of paths) {
      for (const item of certificateDriveItems(NAME, context, host, certificatePath(NAME, path))) context.output(item);
    }
  },
};
