import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, RESOURCE_TOKEN } from "./support/buildSchema";
import { readArgsDocs } from "./support/readArgsDocs";

const ROOT = join(__dirname, "..", "..", "..");
const ARGS_FILE = join(ROOT, "provider", "certificateAssignment.ts");

describe("schema.json", () => {
  const schema = JSON.parse(readFileSync(join(ROOT, "provider", "schema.json"), "utf8"));

  it("matches CertificateAssignmentArgs and its types: names, optionality, types and descriptions", () => {
    assert.deepEqual(schema, buildSchema(ARGS_FILE));
  });

  it("describes the resource under the token the dynamic resource registers", () => {
    const resource = schema.resources[RESOURCE_TOKEN];
    assert.ok(resource, `no resource ${RESOURCE_TOKEN}`);
    assert.deepEqual(resource.requiredInputs, ["connection", "certificates"]);
    assert.equal(resource.inputProperties.connection.secret, true);
    for (const output of ["certificates", "hostKey", "server", "connection"])
      assert.ok(resource.properties[output], output);
  });

  it("documents every args property with a summary, and every optional one with its default", () => {
    const docs = [
      ...readArgsDocs(ARGS_FILE),
      ...readArgsDocs(ARGS_FILE.replace("certificateAssignment", "oauthTokenIssuer")),
    ];
    for (const [name, properties] of docs) {
      if (name === "OAuthTokenIssuerOutputs") continue;
      if (name === "CertificateOutput") continue;
      for (const property of properties) {
        assert.match(property.description, /^[A-Z].*\./, `${name}.${property.name} has no one-sentence summary`);
        if (property.optional) assert.ok(property.default !== undefined, `${name}.${property.name} has no @default`);
      }
    }
  });

  it("marks every credential of the connection and the certificate entries secret", () => {
    const connection = schema.types["lync:index:Connection"].properties;
    for (const field of ["password", "privateKey", "privateKeyPassword"])
      assert.equal(connection[field].secret, true, field);
    const certificate = schema.types["lync:index:Certificate"].properties;
    for (const field of ["caPassword", "pfx", "pfxPassword", "privateKeyPem"])
      assert.equal(certificate[field].secret, true, field);
  });
});
