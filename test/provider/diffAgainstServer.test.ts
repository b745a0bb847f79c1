import assert from "node:assert/strict";
import { changedInputs, diffAgainstServer } from "pulumi-lync-certificates/dist/diffAgainstServer";
import type { ProviderOutputs } from "pulumi-lync-certificates/dist/outputs";
import { UNKNOWN } from "pulumi-lync-certificates/dist/providerInputs";
import { scriptError } from "pulumi-lync-certificates/dist/scriptError";

const olds = {
  connection: { host: "fe01.contoso.com", user: "lyncadmin", password: "p" },
  certificates: [
    {
      usages: ["Default"],
      subjectAlternativeNames: ["fe01.contoso.com"],
      ca: "dc\\myca",
      previousThumbprints: {},
      thumbprint: "AB",
    },
  ],
  hostKey: "ssh-ed25519 AAAA",
  server: "fe01.contoso.com",
} as unknown as ProviderOutputs;

describe("diffAgainstServer", () => {
  it("reports a change without connecting when inputs are not known until apply", async () => {
    const news = {
      connection: { host: UNKNOWN, password: "p" },
      certificates: [{ usages: ["Default"], subjectAlternativeNames: [], ca: "dc\\myca" }],
    };
    const outcome = await diffAgainstServer(olds, news);
    assert.equal(outcome.changes, true);
    assert.match(outcome.reasons.join("\n"), /not known until apply/);
  });

  it("replaces the resource when the host changes and the server behind it cannot be asked yet", async () => {
    // Whether a known new host reaches the same server is asked of the server (emulator tests).
    const news = { ...olds, connection: { host: "fe02.contoso.com", password: UNKNOWN } };
    const outcome = await diffAgainstServer(olds, news);
    assert.deepEqual(outcome.replaces, ["connection"]);
    assert.match(
      outcome.reasons.join("\n"),
      /connection\.host changes from fe01\.contoso\.com to fe02\.contoso\.com, which reaches a server not known to be the same/,
    );
  });
});

describe("changedInputs", () => {
  it("names the changed paths, ignoring order and case in usages and names", () => {
    assert.deepEqual(
      changedInputs(
        {
          certificates: [
            {
              usages: ["Default", "WebServicesInternal"],
              subjectAlternativeNames: ["a.contoso.com", "b.contoso.com"],
              keySize: 2048,
            },
          ],
        },
        {
          certificates: [
            {
              usages: ["webservicesinternal", "default"],
              subjectAlternativeNames: ["B.contoso.com", "a.contoso.com"],
              keySize: 4096,
            },
          ],
        },
      ),
      ["certificates[0].keySize"],
    );
  });

  it("never compares secrets, which outputs do not keep", () => {
    assert.deepEqual(
      changedInputs(
        { connection: { host: "h", password: "a" }, certificates: [{ pfx: "x" }] },
        {
          connection: { host: "h", password: "b" },
          certificates: [{ pfx: "y", pfxPassword: "z" }],
          certificateSecrets: [{}],
        },
      ),
      [],
    );
  });
});

describe("scriptError", () => {
  it("keeps PowerShell's message and position but not the echoed source line, which may hold a password", () => {
    const error = scriptError("importing certificates on fe01.contoso.com", {
      exitCode: 1,
      stdout: "",
      stderr:
        "Import-CsCertificate : The specified network password is not correct.\r\nAt line:9 char:3\r\n+   Import-CsCertificate -Path 'C:\\x.pfx' -Password 'canary-pfx-password'\r\n+   ~~~~~~~~~~~~~~~~~~~~\r\n",
    });
    assert.match(
      error.message,
      /^importing certificates on fe01\.contoso\.com: PowerShell exited with 1: Import-CsCertificate : The specified network password is not correct\. \| At line:9 char:3$/,
    );
    assert.ok(!error.message.includes("canary"));
  });
});
