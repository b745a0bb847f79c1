// The provider's check as the engine calls it: public entries and their secrets arrive apart, and
// during preview the secrets of resources not yet created are unknown as a whole.

import assert from "node:assert/strict";
import { certificateAssignmentProvider as provider } from "pulumi-lync-certificates/dist/certificateAssignmentProvider";
import { UNKNOWN } from "pulumi-lync-certificates/dist/providerInputs";

const base = {
  connection: { host: "fe01.contoso.com", user: "lyncadmin", password: "p" },
  resourceKey: "0badc0de",
  resourceName: "fe01",
};
const pemEntry = {
  usages: ["WebServicesInternal"],
  subjectAlternativeNames: ["pool01.contoso.com"],
  certificatePem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
};
const pfxEntry = { usages: ["Default"], subjectAlternativeNames: ["fe01.contoso.com"] };

describe("check", () => {
  it("lets secrets that are unknown during preview pass, to be judged at apply", async () => {
    for (const certificateSecrets of [UNKNOWN, [UNKNOWN, UNKNOWN]]) {
      const { failures } = await provider.check!(
        {},
        { ...base, certificates: [pemEntry, pfxEntry], certificateSecrets },
      );
      assert.deepEqual(failures, [], `certificateSecrets ${JSON.stringify(certificateSecrets)}`);
    }
  });

  it("still refuses an entry with no source once its secrets are known", async () => {
    const { failures } = await provider.check!({}, { ...base, certificates: [pfxEntry], certificateSecrets: [{}] });
    assert.deepEqual(
      failures?.map((f) => f.property),
      ["certificates[0]"],
    );
  });

  it("hands the engine back the inputs with their secrets still apart", async () => {
    const { inputs } = await provider.check!(
      {},
      { ...base, certificates: [pfxEntry], certificateSecrets: [{ pfx: "AAAA", pfxPassword: "canary" }] },
    );
    assert.equal(JSON.stringify(inputs.certificates).includes("canary"), false);
  });
});
