import { PowerShellError } from "../powershell/command";

/** A parsed path of the Cert: drive, limited to what the emulator models. */
export type CertificatePath =
  | { readonly kind: "store"; readonly store: "My" | "REQUEST"; readonly display: string }
  | { readonly kind: "item"; readonly store: "My" | "REQUEST"; readonly thumbprint: string; readonly display: string };

/**
 * Parses Cert:\LocalMachine\My, Cert:\LocalMachine\REQUEST and Cert:\LocalMachine\<store>\<thumbprint>
 * (case-insensitive, / or \, trailing separator allowed, also the provider-qualified PSPath form).
 * Every other path fails loudly: the emulator has no file system listing and no other stores.
 */
export function certificatePath(command: string, path: string): CertificatePath {
  const cleaned = path
    .trim()
    .replace(/^Microsoft\.PowerShell\.Security\\Certificate::/i, "Cert:\\")
    .replace(/\//g, "\\")
    .replace(/\\+$/, "");
  const m = /^cert:\\+localmachine\\+(my|request)(?:\\+([^\\]+))?$/i.exec(cleaned);
  if (!m) {
    throw new PowerShellError(
      `${command} on '${path}' is not supported by the Lync emulator: it models only the Cert:\\LocalMachine\\My and ` +
        "Cert:\\LocalMachine\\REQUEST stores and their certificates (Cert:\\LocalMachine\\My\\<thumbprint>).",
      `NotSupportedByEmulator,Microsoft.PowerShell.Commands.${command.replace("-", "")}Command`,
      "NotImplemented",
      path,
    );
  }
  const store = m[1].toLowerCase() === "my" ? "My" : "REQUEST";
  return m[2] === undefined
    ? { kind: "store", store, display: path }
    : { kind: "item", store, thumbprint: m[2].toUpperCase(), display: path };
}
