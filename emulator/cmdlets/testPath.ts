import type { CommandDefinition } from "../powershell/command";
import { boundPaths, certificatePath } from "./certificateDrive";
import { lyncHostOf } from "./cmdletSupport";

const NAME = "Test-Path";

/**
 * Test-Path, with the Cert: drive: `Test-Path Cert:\LocalMachine\My\<thumbprint>` is how a script asks
 * whether a certificate (for instance a replicated global one) has reached this server's store. File paths
 * behave as the interpreter's built-in Test-Path (which this replaces by name). -PathType Container is a
 * store, Leaf a certificate, as on Windows.
 */
export const testPath: CommandDefinition = {
  name: NAME,
  parameterSets: [
    {
      name: "Path",
      isDefault: true,
      parameters: [
        { name: "Path", type: "string[]", position: 0, mandatory: true, aliases: ["LiteralPath", "PSPath"] },
        { name: "PathType", type: "string" },
      ],
    },
  ],
  invoke(context) {
    const host = lyncHostOf(context);
    const pathType = String(context.parameters.PathType ?? "Any").toLowerCase();
    for (const path of boundPaths(context.parameters.Path)) {
      if (!/^(cert:|microsoft\.powershell\.security\\certificate::)/i.test(path.trim())) {
        context.output(host.fileSystem.exists(path));
        continue;
      }
      const parsed = certificatePath(NAME, path);
      if (parsed.kind === "store") {
        context.output(pathType !== "leaf");
        continue;
      }
      const found =
        parsed.store === "My"
          ? host.getCertificate(parsed.thumbprint) !== undefined
          : host.listPendingRequests().some((r) => r.thumbprint.toUpperCase() === parsed.thumbprint);
      context.output(found && pathType !== "container");
    }
  },
};
