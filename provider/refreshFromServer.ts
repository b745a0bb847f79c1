// read (pulumi refresh): the live certificates of each entry, and the inputs unchanged. Always
// returns the id: a read without one makes the engine drop the resource from state.

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
  // Secrets (pfx, passwords) are not in the outputs, so supplied certificates are not re-read here.
  const { desired } = prepareInputs(withoutSecretSources(inputs), { checkSupplied: false });
  const read = options.readServer ?? freshReadings.recording(id, readServer);
  const { state, session, server, facts, csrs } = await read(inputs.connection, desired, {
    ...options,
    recordedHostKey: options.recordedHostKey ?? props.hostKey,
  });
  const outputs = buildOutputs(inputs, desired, {
    assignments: state.assignments,
    facts,
    csrs,
    hostKey: session.hostKey,
    server: state.server ?? server,
  });
  return { id, props: outputs, inputs };
}

/** Validation of a stored entry must not fail for the secrets outputs leave out. */
function withoutSecretSources(inputs: ReturnType<typeof inputsFromOutputs>): unknown {
  return {
    ...inputs,
    certificates: inputs.certificates.map((c) => {
      if (c.pfx === undefined && c.certificatePem !== undefined && c.privateKeyPem === undefined) {
        return { ...c, privateKeyPem: "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----" };
      }
      if (c.pfx === undefined && c.ca === undefined && c.certificatePem === undefined && c.offline === undefined) {
        // A pfx entry: the PFX itself is a secret and is not stored; read the live state only.
        return { ...c, offline: true };
      }
      return c;
    }),
  };
}
