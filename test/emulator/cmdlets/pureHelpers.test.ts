import assert from "node:assert/strict";
import fc from "fast-check";
import { certificatePath } from "lync-server-emulator/dist/cmdlets/certificateDrive";
import { certTypesOf, dateParameterValue } from "lync-server-emulator/dist/cmdlets/parameters";
import { normalizeThumbprint } from "lync-server-emulator/dist/cmdlets/setCsCertificate";
import { CERT_TYPES } from "lync-server-emulator/dist/lyncHost";
import { PowerShellError } from "lync-server-emulator/dist/powershell/command";
import { formatDateTimeEnUs, PSEnum } from "lync-server-emulator/dist/powershell/values";

const hex40 = fc.stringMatching(/^[0-9A-F]{40}$/);
const randomCase = (text: string, flips: boolean[]) =>
  [...text].map((c, i) => (flips[i % flips.length] ? c.toLowerCase() : c.toUpperCase())).join("");

describe("cmdlet helpers", () => {
  it("normalizes thumbprints copied with spaces, lower case and invisible marks", () => {
    fc.assert(
      fc.property(hex40, fc.array(fc.boolean(), { minLength: 1 }), (thumbprint, flips) => {
        const copied = "\u200e" + randomCase(thumbprint, flips).replace(/(..)/g, "$1 ");
        assert.equal(normalizeThumbprint(copied), thumbprint);
      }),
    );
  });

  it("reads back every en-US date PowerShell prints", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_799 }), (seconds) => {
        const date = new Date(seconds * 1000);
        assert.equal(
          dateParameterValue("Set-CsCertificate", "EffectiveDate", formatDateTimeEnUs(date))?.getTime(),
          date.getTime(),
        );
      }),
    );
  });

  it("reads ISO 8601 dates and rejects what .NET would not parse", () => {
    assert.equal(
      dateParameterValue("Set-CsCertificate", "EffectiveDate", "2030-07-31T08:00:00Z")?.toISOString(),
      "2030-07-31T08:00:00.000Z",
    );
    for (const bad of ["2/30/2030", "13/1/2030", "tomorrow", "7/31/2030 13:00 PM"]) {
      assert.throws(
        () => dateParameterValue("Set-CsCertificate", "EffectiveDate", bad),
        (e: unknown) => e instanceof PowerShellError && /String was not recognized as a valid DateTime/.test(e.message),
        bad,
      );
    }
  });

  it("parses Cert: paths whatever their case and separators", () => {
    fc.assert(
      fc.property(hex40, fc.array(fc.boolean(), { minLength: 1 }), fc.boolean(), (thumbprint, flips, slash) => {
        let path = randomCase(`Cert:\\LocalMachine\\My\\${thumbprint}`, flips);
        if (slash) path = path.replace(/\\/g, "/");
        const parsed = certificatePath("Get-Item", path);
        assert.deepEqual(parsed, { kind: "item", store: "My", thumbprint, display: path });
      }),
    );
  });

  it("binds CertType names case-insensitively, in order, once each, from names, lists or enums", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...CERT_TYPES), { minLength: 1 }),
        fc.array(fc.boolean(), { minLength: 1 }),
        (types, flips) => {
          const expected = [...new Set(types)];
          assert.deepEqual(
            certTypesOf(
              types.map((t) => randomCase(t, flips)),
              "Get-CsCertificate",
            ),
            expected,
          );
          assert.deepEqual(certTypesOf(types.join(","), "Get-CsCertificate"), expected);
          assert.deepEqual(
            certTypesOf(
              types.map((t) => new PSEnum("Microsoft.Rtc.Management.Deployment.CertType", t, CERT_TYPES.indexOf(t))),
              "Get-CsCertificate",
            ),
            expected,
          );
        },
      ),
    );
    assert.throws(() => certTypesOf("Defualt", "Set-CsCertificate"), /Unable to match the identifier name Defualt/);
  });
});
