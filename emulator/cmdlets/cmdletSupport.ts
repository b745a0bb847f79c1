// What every cmdlet of this folder needs: its server, Lync's error shape and the -Report file.

import type { EmulatorControl, LyncHost } from "../lyncHost";
import {
  PowerShellError,
  type CommandContext,
  type CommandDefinition,
  type ParameterDefinition,
  type ParameterSetDefinition,
} from "../powershell/command";

/** The emulated server a cmdlet runs on; the interpreter hands it over opaque. */
export function lyncHostOf(context: CommandContext): LyncHost {
  if (context.host === undefined || context.host === null) {
    throw new Error("running a Lync cmdlet: the runspace has no Lync host (pass host: LyncHost to runScript)");
  }
  return context.host as LyncHost;
}

/** The one parameter set of a cmdlet that has no others. */
export function singleParameterSet(parameters: readonly ParameterDefinition[]): ParameterSetDefinition[] {
  return [{ name: "__AllParameterSets", isDefault: true, parameters }];
}

/** An emulator-only command (no parameters) that writes one of the server's logs as one JSON string (an array). */
export function emulatorLogCommand(name: string, log: (emulator: EmulatorControl) => unknown): CommandDefinition {
  return {
    name,
    module: "Emulator",
    parameterSets: singleParameterSet([]),
    invoke(context) {
      context.output(JSON.stringify(log(lyncHostOf(context).emulator)));
    },
  };
}

/**
 * A terminating error as the Lync management cmdlets raise it: "Command execution failed: ..." and a
 * FullyQualifiedErrorId naming the cmdlet class, e.g.
 * "CertificateNotFound,Microsoft.Rtc.Management.Deployment.Core.Certificates.SetCertificateCmdlet".
 * The class names follow Lync's Verb+Noun-without-"Cs" pattern [guess]; the error ids are ours.
 */
export function cmdletError(
  cmdlet: string,
  message: string,
  errorId: string,
  category: string = "InvalidOperation",
  options?: { cause?: unknown; targetObject?: unknown; prefix?: boolean },
): PowerShellError {
  const text = options?.prefix === false ? message : `Command execution failed: ${message}`;
  return new PowerShellError(
    text,
    `${errorId},${cmdletClassName(cmdlet)}`,
    category,
    options?.targetObject,
    options?.cause === undefined ? undefined : { cause: options.cause },
  );
}

function cmdletClassName(cmdlet: string): string {
  const [verb, noun = ""] = cmdlet.split("-");
  if (cmdlet.includes("Emulator")) return `LyncEmulator.${verb}${noun}Command`;
  // The certificate cmdlets live in their own namespace (the CA client raises the same ids).
  if (noun === "CsCertificate") return `Microsoft.Rtc.Management.Deployment.Core.Certificates.${verb}CertificateCmdlet`;
  return `Microsoft.Rtc.Management.Deployment.${verb}${noun.replace(/^Cs/, "")}Cmdlet`;
}

/**
 * -Report <file>: Lync writes an HTML log of what the cmdlet did, overwriting the file. Ours is a plain
 * list of the steps; never pass it a password or key.
 */
export function writeReport(host: LyncHost, path: unknown, cmdlet: string, steps: readonly string[]): void {
  if (typeof path !== "string" || path.trim() === "") return;
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const html =
    `<html><head><title>${cmdlet}</title></head><body>\n<h1>${cmdlet} on ${escape(host.fqdn)}</h1>\n` +
    `<p>${host.now().toISOString()}</p>\n<ul>\n${steps.map((s) => `<li>${escape(s)}</li>`).join("\n")}\n</ul>\n</body></html>\n`;
  host.fileSystem.write(path, new TextEncoder().encode(html));
}
