// read (pulumi refresh): the live certificates of each entry, and the inputs unchanged. Always
// returns the id: a read without one makes the engine drop the resource from state.

import { inspectCertificate, type CertificateFacts } from "./inspectCertificate";
import { buildOutputs, inputsFromOutputs, type ProviderOutputs } from "./outputs";
import { prepareInputs } from "./prepareInputs";
import { csrPath, readServer } from "./readServer";
import type { TransportOptions } from "./sshTransport";

export async function refreshFromServer(
  id: string,
  props: ProviderOutputs,
  options: TransportOptions = {},
): Promise<{ id: string; props: ProviderOutputs; inputs: ReturnType<typeof inputsFromOutputs> }> {
  const inputs = inputsFromOutputs(props);
  // Secrets (pfx, passwords) are not in the outputs, so supplied certificates are not re-read here.
  const { desired } = prepareInputs(withoutSecretSources(inputs), { checkSupplied: false });
  const { state, session, server } = await readServer(inputs.connection, desired, {
    ...options,
    recordedHostKey: options.recordedHostKey ?? props.hostKey,
  });
  const facts = new Map<string, CertificateFacts>();
  for (const entry of state.store) {
    try {
      facts.set(entry.thumbprint, inspectCertificate(entry.rawData));
    } catch {
      // Unreadable entries keep what Get-CsCertificate said.
    }
  }
  const csrs = new Map<number, string>();
  for (const certificate of desired.certificates) {
    const file = state.files[csrPath(desired.resourceKey, certificate.index)];
    if (file) csrs.set(certificate.index, Buffer.from(file, "base64").toString("utf8"));
  }
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
