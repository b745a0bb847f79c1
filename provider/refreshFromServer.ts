// read (pulumi refresh): the live certificates of each entry, and the inputs unchanged. Always
// returns the id: a read without one makes the engine drop the resource from state. The stored
// inputs carry their secrets (certificateSecrets), so every kind of entry is read as it is.

import { isMarkedFor } from "./desiredCertificates";
import { buildOutputs, inputsFromOutputs, type ProviderOutputs } from "./outputs";
import { prepareInputs } from "./prepareInputs";
import { readServer } from "./readServer";
import { freshReadings, type ServerReader } from "./freshReadings";
import type { TransportOptions } from "./sshTransport";

export async function refreshFromServer(
  id: string,
  props: ProviderOutputs,
  // readServer: how to read the server; by default one that keeps the reading for the diffs that follow.
  options: TransportOptions & { readonly readServer?: ServerReader } = {},
): Promise<{ id: string; props: ProviderOutputs; inputs: ReturnType<typeof inputsFromOutputs> }> {
  const inputs = inputsFromOutputs(props);
  const { inputs: joined, desired } = prepareInputs(inputs, { checkSupplied: false });
  const read = options.readServer ?? freshReadings.recording(id, readServer);
  const { state, session, server, facts } = await read(inputs.connection, desired, {
    ...options,
    recordedHostKey: options.recordedHostKey ?? props.hostKey,
    recordedProxyHostKey: options.recordedProxyHostKey ?? props.proxyHostKey,
  });
  // An offline request still waiting keeps the CSR it was made with.
  const csrs = new Map<number, string>();
  props.certificates.forEach((c, index) => {
    if (c.csr && state.requests.some((r) => isMarkedFor(r.friendlyName, desired, index))) csrs.set(index, c.csr);
  });
  const outputs = buildOutputs(joined, desired, {
    assignments: state.assignments,
    facts,
    csrs,
    hostKey: session.hostKey,
    proxyHostKey: session.proxyHostKey,
    server: state.server ?? server,
    now: state.now,
  });
  return { id, props: outputs, inputs };
}
