import type { LyncHost } from "../lyncHost";
import { PowerShellError, type CommandContext } from "../powershell/command";
import type { PSObject } from "../powershell/values";
import type { CertificatePath } from "./certificatePath";
import { pendingRequestCertificate, x509Certificate2 } from "./x509Certificate2";

/**
 * The certificates a Cert: path names: a whole store, or one certificate. A missing certificate is
 * PowerShell's non-terminating ItemNotFound error, as Get-Item and Get-ChildItem write it.
 */
export function certificateDriveItems(
  command: string,
  context: CommandContext,
  host: LyncHost,
  path: CertificatePath,
): PSObject[] {
  const storePath = `LocalMachine\\${path.store}`;
  const all =
    path.store === "My"
      ? host.listCertificates().map((c) => ({ thumbprint: c.thumbprint, item: () => x509Certificate2(c, storePath) }))
      : host
          .listPendingRequests()
          .map((r) => ({ thumbprint: r.thumbprint, item: () => pendingRequestCertificate(r, storePath) }));
  if (path.kind === "store") return all.map((entry) => entry.item());
  if (/[*?[]/.test(path.thumbprint)) {
    // A wildcard leaf (Cert:\LocalMachine\My\*) lists what matches; matching nothing is not an error.
    const source = path.thumbprint
      .replace(/[.+^${}()|\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    const pattern = new RegExp(`^${source}$`, "i");
    return all.filter((entry) => pattern.test(entry.thumbprint)).map((entry) => entry.item());
  }
  const found = all.find((entry) => entry.thumbprint.toUpperCase() === path.thumbprint);
  if (found === undefined) {
    context.writeError(
      new PowerShellError(
        `Cannot find path '${path.display}' because it does not exist.`,
        `PathNotFound,Microsoft.PowerShell.Commands.${command.replace("-", "")}Command`,
        "ObjectNotFound",
        path.display,
      ),
    );
    return [];
  }
  return [found.item()];
}
