// read (pulumi refresh): the live certificates of each entry, and the inputs unchanged. Always
// returns the id: a read without one makes the engine drop the resource from state. The stored
// inputs carry their secrets (certificateSecrets), so every kind of entry is read as it is.

import { friendlyNamePrefix } from "./desiredCertificates";
import { buildOutputs, inputsFromOutputs, type ProviderOutputs } from "./outputs";
import { prepareInputs } from "./prepareInputs";
import { readServer } from "./readServer";
import type { TransportOptions } from "./sshTransport";

export async function refreshFromServer(
  id: string,
  props: ProviderOutputs,
  options: TransportOptions = {},
): Promise<{ id: string; props: ProviderOutputs; inputs: ReturnType<typeof inputsFromOutputs> }> {
  const inputs = inputsFromOutputs(props);
  const { inputs: joined, desired } = prepareInputs(inputs, { checkSupplied: false });
  const { state, session, server, facts } = await readServer(inputs.connection, desired, {
    ...options,
    recordedHostKey: options.recordedHostKey ?? props.hostKey,
    recordedProxyHostKey: options.recordedProxyHostKey ?? props.proxyHostKey,
  });
  // An offline request still waiting keeps the CSR it was made with.
  const csrs = new Map<number, string>();
  props.certificates.forEach((c, index) => {
    const prefix = `${friendlyNamePrefix(desired, index)} `;
    if (c.csr && state.requests.some((r) => r.friendlyName.includes(prefix))) csrs.set(index, c.csr);
  });
  const outputs = buildOutputs(joined, desired, {
    assignments: state.assignments,
    facts,
    csrs,
    hostKey: session.hostKey,
    proxyHostKey: session.proxyHostKey,
    server: state.server ?? server,
  });
  return { id, props: outputs, inputs };
}
