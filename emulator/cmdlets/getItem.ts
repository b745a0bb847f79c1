import type { CommandDefinition } from "../powershell/command";
import { PSObject } from "../powershell/values";
import { boundPaths, certificateDriveItems, certificatePath, pathParameterSets } from "./certificateDrive";
import { lyncHostOf } from "./cmdletSupport";

const NAME = "Get-Item";

/**
 * Get-Item on the Cert: drive only: Get-Item Cert:\LocalMachine\My\<thumbprint> gives that certificate;
 * a missing one writes PowerShell's "Cannot find path ... because it does not exist." (non-terminating).
 */
export const getItem: CommandDefinition = {
  name: NAME,
  parameterSets: pathParameterSets(["Path", "LiteralPath"], { pathMandatory: true }, [
    { name: "Force", type: "switch" },
  ]),
  invoke(context) {
    const host = lyncHostOf(context);
    for (const path of boundPaths(context.parameters.Path ?? context.parameters.LiteralPath)) {
      const parsed = certificatePath(NAME, path);
      if (parsed.kind === "store") {
        // Get-Item on a store gives the store object (X509Store); scripts list it with Get-ChildItem instead.
        context.output(storeObject(parsed.store));
        continue;
      }
      for (const item of certificateDriveItems(NAME, context, host, parsed)) context.output(item);
    }
  },
};

function storeObject(store: string): PSObject {
  return new PSObject(["System.Security.Cryptography.X509Certificates.X509Store", "System.Object"], {
    Name: store,
    Location: "LocalMachine",
    PSPath: `Microsoft.PowerShell.Security\\Certificate::LocalMachine\\${store}`,
    PSIsContainer: true,
  });
}
