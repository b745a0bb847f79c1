// Shared first step of every provider method that acts: validate again (the engine may call
// create/update with inputs check never saw, e.g. after a refresh), normalise, and read the
// certificates the user supplied.

import { desiredCertificates, type DesiredState } from "./desiredCertificates";
import type { CertificateFacts } from "./inspectCertificate";
import { certificateProblems } from "./planChanges";
import type { ProviderInputs } from "./providerInputs";
import { joinEntrySecrets } from "./secretInputs";
import { readSuppliedCertificate, type SuppliedCertificate } from "./suppliedCertificate";
import { validateInputs } from "./validateInputs";

export interface PreparedInputs {
  readonly inputs: ProviderInputs;
  readonly desired: DesiredState;
  readonly supplied: ReadonlyMap<number, SuppliedCertificate>;
  readonly suppliedFacts: ReadonlyMap<number, CertificateFacts>;
}

export function prepareInputs(raw: unknown, options: { readonly checkSupplied?: boolean } = {}): PreparedInputs {
  const { inputs, failures } = validateInputs(joinEntrySecrets(raw));
  if (failures.length > 0) {
    throw new Error(
      `invalid CertificateAssignment inputs:\n${failures.map((f) => `  ${f.property}: ${f.reason}`).join("\n")}`,
    );
  }
  const desired = desiredCertificates(inputs);
  const supplied = new Map<number, SuppliedCertificate>();
  const suppliedFacts = new Map<number, CertificateFacts>();
  for (const certificate of desired.certificates) {
    const where = `certificates[${certificate.index}] (${certificate.usages.join(", ")})`;
    const read = readSuppliedCertificate(certificate.source, where);
    if (!read) continue;
    if (options.checkSupplied !== false) {
      // Validity is judged later against the server's clock; the rest can be judged now.
      const problems = certificateProblems(read.facts, certificate, read.facts.notBefore, desired.renewal, {
        forAssignment: true,
      });
      if (problems.length > 0) {
        throw new Error(
          `${where}: the supplied certificate ${read.facts.thumbprint} cannot be assigned: ${problems.join("; ")}`,
        );
      }
    }
    supplied.set(certificate.index, read);
    suppliedFacts.set(certificate.index, read.facts);
  }
  return { inputs, desired, supplied, suppliedFacts };
}
