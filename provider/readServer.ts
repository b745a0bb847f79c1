// One remote PowerShell session that reads what a server holds: the only way diff, read and the
// planning half of create/update learn the live state.

import type { DesiredState } from "./desiredCertificates";
import { inspectCertificate, type CertificateFacts } from "./inspectCertificate";
import { parseServerState, type ServerState, type StoreEntry } from "./parseServerState";
import { readScript } from "./powershellScripts";
import type { ConnectionInputs } from "./providerInputs";
import { runChecked } from "./scriptError";
import { serverLabel } from "./serverLabel";
import type { RemotePowerShell, TransportOptions } from "./sshTransport";

export interface ServerReading {
  readonly state: ServerState;
  readonly session: RemotePowerShell;
  /** Names the server in messages (see serverLabel). */
  readonly server: string;
  /** What node-forge reads in each store entry, by thumbprint (unreadable entries are left out). */
  readonly facts: ReadonlyMap<string, CertificateFacts>;
}

export async function readServer(
  connection: ConnectionInputs,
  desired: Pick<DesiredState, "managementModule" | "resourceName">,
  options: TransportOptions & { readonly thumbprints?: readonly string[] },
): Promise<ServerReading> {
  const { connectServer } = require("./connectServer") as typeof import("./connectServer");
  const session = await connectServer(connection, options);
  const module = desired.managementModule;
  const script = readScript({ module, thumbprints: options.thumbprints });
  const output = await runChecked(session, script, "reading the assigned certificates", connection.host, module);
  const state = parseServerState(output.stdout);
  const server = serverLabel(state.server, connection.host, desired.resourceName);
  return { state, session, server, facts: inspectStore(state.store) };
}

/** Reads each store entry's certificate once; an unreadable one is left out (the plan says so if it matters). */
export function inspectStore(store: readonly StoreEntry[]): Map<string, CertificateFacts> {
  const facts = new Map<string, CertificateFacts>();
  for (const entry of store) {
    try {
      facts.set(entry.thumbprint, inspectCertificate(entry.rawData));
    } catch {
      // Left out: planChanges reports an assigned certificate it cannot read.
    }
  }
  return facts;
}
