// delete: by default (deletionPolicy "retain") nothing happens on the server, because unassigning
// a live server's certificates stops its services; "unassign" runs Remove-CsCertificate per usage,
// but only for usages that still hold the certificate this resource recorded.

import { canonicalUsage, type CertificateUsage } from "./certificateUsages";
import type { ProviderOutputs } from "./outputs";
import { parseApplyResult, parseServerState } from "./parseServerState";
import { readScript, unassignScript } from "./powershellScripts";
import { runChecked } from "./scriptError";
import type { TransportOptions } from "./sshTransport";

export async function deleteAssignment(
  props: ProviderOutputs,
  options: TransportOptions & { readonly log?: (line: string) => void } = {},
): Promise<void> {
  const log = options.log ?? (() => undefined);
  const server = props.server ?? props.connection.host;
  const recorded = new Map<CertificateUsage, string | undefined>();
  for (const certificate of props.certificates) {
    for (const usage of certificate.usages)
      recorded.set(canonicalUsage(usage) as CertificateUsage, certificate.thumbprint);
  }
  const usages = [...recorded.keys()];
  if ((props.deletionPolicy ?? "retain") === "retain") {
    log(`${server}: deletionPolicy is "retain": ${usages.join(", ")} stay assigned on the server; nothing was changed`);
    return;
  }
  const { connectServer } = require("./connectServer") as typeof import("./connectServer");
  const session = await connectServer(props.connection, {
    ...options,
    recordedHostKey: options.recordedHostKey ?? props.hostKey,
    recordedProxyHostKey: options.recordedProxyHostKey ?? props.proxyHostKey,
  });
  const module = props.managementModule;
  // A usage holding another certificate than recorded was given it since, by another resource of
  // the stack (a replacement that reaches the same server) or by an administrator: not ours to remove.
  const read = await runChecked(session, readScript({ module }), "reading the assigned certificates", server, module);
  const live = new Map(parseServerState(read.stdout).assignments.map((a) => [a.use, a.thumbprint]));
  const others = usages.filter((u) => live.has(u) && live.get(u) !== recorded.get(u));
  if (others.length > 0) {
    log(
      `${server}: ${others.map((u) => `${u} holds ${live.get(u)}, not ${recorded.get(u) ?? "a certificate"} recorded by this resource`).join("; ")}: left assigned`,
    );
  }
  const mine = usages.filter((u) => live.has(u) && live.get(u) === recorded.get(u));
  if (mine.length === 0) {
    log(`${server}: no usage holds the certificate this resource assigned; nothing was unassigned`);
    return;
  }
  const output = await runChecked(
    session,
    unassignScript(module, mine),
    `unassigning ${mine.join(", ")}`,
    server,
    module,
  );
  const result = parseApplyResult(output.stdout);
  const left = result.assignments.filter((a) => mine.includes(a.use));
  if (result.errors.length > 0 || left.length > 0) {
    throw new Error(
      `unassigning ${mine.join(", ")} on ${server}: ${[...result.errors, ...left.map((a) => `${a.use} still holds ${a.thumbprint}`)].join("; ")}`,
    );
  }
  log(`${server}: unassigned ${mine.join(", ")} (the certificates stay in Cert:\\LocalMachine\\My)`);
}
