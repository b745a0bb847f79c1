import assert from "node:assert/strict";
import {
  parseApplyResult,
  parseRequestResults,
  parseServerState,
} from "pulumi-lync-certificates/dist/parseServerState";

// As the read script prints it on Windows PowerShell 5.1 (after server-side normalisation), with a
// warning line before it: the parser must pick the marked line.
const CAPTURED = [
  "WARNING: The names of some imported commands from the module 'Lync' include unapproved verbs.",
  'PULUMI-LYNC-STATE:{"Server":"fe01.contoso.com","Now":"2026-11-26T08:43:06.1790000Z","Assignments":[{"Use":"Default","Thumbprint":"1721766bae9f982de3f34032a8cb1fcf04050b2b","PreviousThumbprint":"","Subject":"CN=pool01.contoso.com","Issuer":"CN=contoso-DC-CA, DC=contoso, DC=com","SerialNumber":"447F7A2B27315438EDAAE77EBD845831","NotBefore":"2026-11-26T08:43:03.0000000Z","NotAfter":"2028-11-25T08:43:03.0000000Z","AlternativeNames":["pool01.contoso.com","fe01.contoso.com"]},{"Use":"WebServicesExternal","Thumbprint":"1721766BAE9F982DE3F34032A8CB1FCF04050B2B","PreviousThumbprint":"AAAA766BAE9F982DE3F34032A8CB1FCF04050B2B","Subject":"CN=pool01.contoso.com","Issuer":"CN=contoso-DC-CA, DC=contoso, DC=com","SerialNumber":"447F7A2B27315438EDAAE77EBD845831","NotBefore":"2026-11-26T08:43:03.0000000Z","NotAfter":"2028-11-25T08:43:03.0000000Z","AlternativeNames":"pool01.contoso.com"}],"Store":{"Thumbprint":"1721766BAE9F982DE3F34032A8CB1FCF04050B2B","FriendlyName":"pulumi-lync 0badc0de #0 20261126T084303","HasPrivateKey":true,"RawData":"MIIB"},"Requests":[],"Files":[{"Path":"C:\\\\Windows\\\\Temp\\\\pulumi-lync-0badc0de-0.csr","Base64":"LS0t"}]}',
  "",
].join("\r\n");

describe("parseServerState", () => {
  it("reads the marked JSON line of the read script, whatever else was printed", () => {
    const state = parseServerState(CAPTURED);
    assert.equal(state.server, "fe01.contoso.com");
    assert.equal(state.now.toISOString(), "2026-11-26T08:43:06.179Z");
    assert.deepEqual(
      state.assignments.map((a) => [a.use, a.thumbprint, a.previousThumbprint]),
      [
        ["Default", "1721766BAE9F982DE3F34032A8CB1FCF04050B2B", undefined],
        ["WebServicesExternal", "1721766BAE9F982DE3F34032A8CB1FCF04050B2B", "AAAA766BAE9F982DE3F34032A8CB1FCF04050B2B"],
      ],
    );
    assert.equal(state.assignments[0].notAfter?.toISOString(), "2028-11-25T08:43:03.000Z");
  });

  it("accepts the single objects Windows PowerShell 5.1 writes instead of one-element arrays", () => {
    const state = parseServerState(CAPTURED);
    assert.deepEqual(state.assignments[1].alternativeNames, ["pool01.contoso.com"]);
    assert.equal(state.store.length, 1);
    assert.equal(state.store[0].friendlyName, "pulumi-lync 0badc0de #0 20261126T084303");
  });

  it("refuses a usage written as a number (an enum that escaped the [string] cast)", () => {
    const numeric = CAPTURED.replace('"Use":"Default"', '"Use":0');
    assert.throws(() => parseServerState(numeric), /Assignments\[\]\.Use should be a string, got 0/);
  });

  it("refuses a usage name Lync does not have", () => {
    assert.throws(() => parseServerState(CAPTURED.replace('"Use":"Default"', '"Use":"Web"')), /unknown usage "Web"/);
  });

  it("refuses a 5.1 \\/Date(ms)\\/ date rather than guess its time zone", () => {
    const legacy = CAPTURED.replace('"Now":"2026-11-26T08:43:06.1790000Z"', '"Now":"\\\\/Date(1795596186179)\\\\/"');
    assert.throws(() => parseServerState(legacy), /Now should be an ISO 8601 date/);
  });

  it("says what the script printed when the marker is missing", () => {
    assert.throws(
      () => parseServerState("Import-Module : something else\r\n"),
      /printed no PULUMI-LYNC-STATE: line; stdout was: Import-Module/,
    );
  });

  it("reads the apply and request results", () => {
    const apply = parseApplyResult(
      'PULUMI-LYNC-RESULT:{"Failure":"Command execution failed","Errors":[],"Assignments":{"Use":"Default","Thumbprint":"ab","AlternativeNames":[]}}',
    );
    assert.equal(apply.failure, "Command execution failed");
    assert.deepEqual(
      apply.assignments.map((a) => [a.use, a.thumbprint]),
      [["Default", "AB"]],
    );
    const requests = parseRequestResults(
      'PULUMI-LYNC-RESULT:{"Now":"2026-11-26T08:43:06Z","Results":{"Index":1,"Status":"None","RawData":null,"Csr":null,"Error":"Denied by Policy Module 0x80094800"},"Pending":{"RequestId":"7","CertificateUses":"Default"}}',
    );
    assert.deepEqual(requests.results, [
      { index: 1, status: "None", rawData: undefined, csr: undefined, error: "Denied by Policy Module 0x80094800" },
    ]);
    assert.deepEqual(requests.pending, [{ requestId: "7", certificateUses: "Default" }]);
  });

  it("refuses a request outcome it does not know rather than guess", () => {
    assert.throws(
      () =>
        parseRequestResults(
          'PULUMI-LYNC-RESULT:{"Now":"2026-11-26T08:43:06Z","Results":[{"Index":0,"Status":"Issued?"}]}',
        ),
      /Status is "Issued\?"/,
    );
  });
});
