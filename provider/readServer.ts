// One remote PowerShell session that reads what a server holds: the only way diff, read and the
// planning half of create/update learn the live state.

import { EDGE_USAGES } from "./certificateUsages";
import type { DesiredState } from "./desiredCertificates";
import { inspectCertificate, type CertificateFacts } from "./inspectCertificate";
import { parseServerState, type ServerState } from "./parseServerState";
import { readScript } from "./powershellScripts";
import type { ConnectionInputs } from "./providerInputs";
import type { RemotePowerShell, TransportOptions } from "./sshTransport";

export interface ServerReading {
  readonly state: ServerState;
  readonly session: RemotePowerShell;
  /**
   * Names the server in messages: the FQDN it reports; else the connection's host, followed by the
   * resource's name when the host is a bare IP address ("fe01.contoso.com (10.0.0.5)").
   */
  readonly server: string;
  /** What node-forge reads in each store entry, by thumbprint (unreadable entries are left out). */
  readonly facts: Map<string, CertificateFacts>;
}

export async function readServer(
  connection: ConnectionInputs,
  desired: Pick<DesiredState, "managementModule" | "resourceName"> & Partial<Pick<DesiredState, "certificates">>,
  options: TransportOptions & { readonly thumbprints?: readonly string[] },
): Promise<ServerReading> {
  const { connectPowerShell } = require("./sshTransport") as typeof import("./sshTransport");
  const session = await connectPowerShell(connection, options);
  const edge = desired.certificates?.some((c) => c.usages.some((u) => EDGE_USAGES.includes(u))) ?? false;
  const output = await session.run(
    readScript({ module: desired.managementModule, thumbprints: options.thumbprints, edge }),
    { what: "reading the assigned certificates" },
  );
  if (output.exitCode !== 0)
    throw scriptError(`reading the assigned certificates on ${connection.host}`, output, desired.managementModule);
  const state = parseServerState(output.stdout);
  const facts = new Map<string, CertificateFacts>();
  for (const entry of state.store) {
    try {
      facts.set(entry.thumbprint, inspectCertificate(entry.rawData));
    } catch {
      // An unreadable store entry is reported by the plan if it matters.
    }
  }
  return { state, session, server: serverLabel(state.server, connection.host, desired.resourceName), facts };
}

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

function firstLines(text: string): string {
  // PowerShell echoes the failing source line after "+ "; it may hold a password literal.
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0 && !l.trimStart().startsWith("+"))
    .slice(0, 3);
  return lines.join(" | ") || "(no output)";
}

/** How messages name a server; see ServerReading.server. */
export function serverLabel(reported: string | undefined, host: string, resourceName: string | undefined): string {
  if (reported) return reported;
  const isAddress = /^[0-9.]+$/.test(host) || host.includes(":");
  return isAddress && resourceName && resourceName !== host ? `${resourceName} (${host})` : host;
}
