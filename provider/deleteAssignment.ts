// delete: by default (deletionPolicy "retain") nothing happens on the server, because unassigning
// a live server's certificates stops its services; "unassign" runs Remove-CsCertificate per usage.

import { canonicalUsage, type CertificateUsage } from "./certificateUsages";
import type { ProviderOutputs } from "./outputs";
import { parseApplyResult } from "./parseServerState";
import { unassignScript } from "./powershellScripts";
import { scriptError } from "./readServer";
import type { TransportOptions } from "./sshTransport";

export async function deleteAssignment(
  props: ProviderOutputs,
  options: TransportOptions & { readonly log?: (line: string) => void } = {},
): Promise<void> {
  const log = options.log ?? (() => undefined);
  const server = props.server ?? props.connection.host;
  const usages = props.certificates.flatMap((c) => c.usages).map((u) => canonicalUsage(u) as CertificateUsage);
  if ((props.deletionPolicy ?? "retain") === "retain") {
    log(`${server}: deletionPolicy is "retain": ${usages.join(", ")} stay assigned on the server; nothing was changed`);
    return;
  }
  const { connectPowerShell } = require("./sshTransport") as typeof import("./sshTransport");
  const session = await connectPowerShell(props.connection, {
    ...options,
    recordedHostKey: options.recordedHostKey ?? props.hostKey,
    recordedProxyHostKey: options.recordedProxyHostKey ?? props.proxyHostKey,
  });
  const module = props.managementModule ?? "Lync";
  const output = await session.run(unassignScript(module, usages), { what: "unassigning certificates" });
  if (output.exitCode !== 0) throw scriptError(`unassigning ${usages.join(", ")} on ${server}`, output, module);
  const result = parseApplyResult(output.stdout);
  const left = result.assignments.filter((a) => usages.includes(a.use));
  if (result.errors.length > 0 || left.length > 0) {
    throw new Error(
      `unassigning ${usages.join(", ")} on ${server}: ${[...result.errors, ...left.map((a) => `${a.use} still holds ${a.thumbprint}`)].join("; ")}`,
    );
  }
  log(`${server}: unassigned ${usages.join(", ")} (the certificates stay in Cert:\\LocalMachine\\My)`);
}
