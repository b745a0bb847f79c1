import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { CertificateAssignment } from "pulumi-lync-certificates/dist/certificateAssignment";
import { certificateAssignmentProvider } from "pulumi-lync-certificates/dist/certificateAssignmentProvider";
import { deserializeProvider } from "./support/deserializeProvider";

describe("closure serialization of the provider", () => {
  it("serializes the provider without inlining local modules, sockets or credentials", async () => {
    const serialized = await pulumi.runtime.serializeFunction(() => certificateAssignmentProvider, {
      allowSecrets: false,
    });
    const text = serialized.text;
    // Implementation modules are loaded by require() inside the methods, not inlined.
    assert.ok(
      !/function planChanges|function applyChanges|class HostKeyMismatchError/.test(text),
      "implementation inlined",
    );
    assert.match(text, /pulumi-lync-certificates\/dist\/\$\{name\}/);
    assert.equal(serialized.containsSecrets, false);
    // Every call to the engine carries this text (olds and news), so it stays a few lines long.
    assert.ok(text.length < 4_000, `the serialized provider is ${text.length} characters`);
  });

  it("runs after deserialization: check loads its implementation by package name", async () => {
    // The by-name path must resolve through the package's exports, not only the fallback directory.
    assert.match(require.resolve("pulumi-lync-certificates/dist/validateInputs"), /validateInputs\.js$/);
    const provider = await deserializeProvider(certificateAssignmentProvider);
    const result = await provider.check!({}, { connection: { host: "fe01", password: "x" }, certificates: [] });
    assert.deepEqual(
      result.failures?.map((f) => f.property),
      ["certificates"],
    );
  });
});

describe("CertificateAssignment", () => {
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  before(() => {
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args);
          return { id: "fe01/key", state: { ...args.inputs, hostKey: "ssh-ed25519 AAAA", server: "fe01.contoso.com" } };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      false,
    );
  });

  it("registers under pulumi-nodejs:dynamic/lync:CertificateAssignment with connection secret and a resource key", async () => {
    const resource = new CertificateAssignment("fe01", {
      connection: { host: "fe01.contoso.com", user: "lyncadmin", password: "canary-password" },
      certificates: [
        { usages: ["Default"], subjectAlternativeNames: ["fe01.contoso.com"], ca: "dc\\myca", caPassword: "canary-ca" },
      ],
    });
    const server = await new Promise((resolve) => resource.server.apply(resolve));
    assert.equal(server, "fe01.contoso.com");
    const args = registered.find((r) => r.name === "fe01")!;
    assert.equal(args.type, "pulumi-nodejs:dynamic/lync:CertificateAssignment");
    assert.match(String(args.inputs.resourceKey), /^[0-9a-f]{8}$/);
    assert.ok(typeof args.inputs.__provider === "string" && !args.inputs.__provider.includes("canary"));
    // Secrets travel apart from `certificates`, so its outputs are not all marked secret.
    assert.equal(JSON.stringify(args.inputs.certificates).includes("canary"), false);
    // The mocks see the wire form: a secret signature wrapping the value.
    assert.deepEqual(args.inputs.certificateSecrets, {
      [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
      value: [{ caPassword: "canary-ca" }],
    });
    const connectionSecret = await (resource.connection as unknown as { isSecret: Promise<boolean> }).isSecret;
    assert.equal(connectionSecret, true);
  });
});
