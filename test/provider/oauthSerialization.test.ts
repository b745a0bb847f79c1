import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { OAuthTokenIssuer } from "pulumi-lync-certificates/dist/oauthTokenIssuer";
import { oauthTokenIssuerProvider } from "pulumi-lync-certificates/dist/oauthTokenIssuerProvider";
import { deserializeProvider } from "./support/deserializeProvider";

describe("OAuthTokenIssuer's provider and resource", () => {
  it("serializes the provider without its implementation, and check runs after deserialization", async () => {
    const serialized = await pulumi.runtime.serializeFunction(() => oauthTokenIssuerProvider, { allowSecrets: false });
    assert.ok(
      !/function planOAuthTokenIssuer|function applyOAuthTokenIssuer/.test(serialized.text),
      "implementation inlined",
    );
    assert.equal(serialized.containsSecrets, false);
    const provider = await deserializeProvider(oauthTokenIssuerProvider);
    const result = await provider.check!({}, { servers: [], ca: "dc\\myca" });
    assert.deepEqual(
      result.failures?.map((f) => f.property),
      ["servers"],
    );
  });

  it("hands the engine back inputs without undefined values, which its protobuf Struct cannot carry", async () => {
    const { inputs, failures } = await oauthTokenIssuerProvider.check!(
      {},
      { servers: [{ host: "fe01.contoso.com", password: "p" }], ca: "dc\\myca" },
    );
    assert.deepEqual(failures, []);
    assert.deepEqual(
      Object.entries(inputs ?? {}).filter(([, value]) => value === undefined),
      [],
    );
  });

  it("registers under pulumi-nodejs:dynamic/lync:OAuthTokenIssuer with the servers and every secret input secret", async () => {
    const registered: pulumi.runtime.MockResourceArgs[] = [];
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args);
          return { id: "oauth/key", state: { ...args.inputs, serversWithCertificate: ["fe01.contoso.com"] } };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      false,
    );
    const resource = new OAuthTokenIssuer("oauth", {
      servers: [{ host: "fe01.contoso.com", user: "lyncadmin", password: "canary-password" }],
      pfx: "canary-pfx",
      pfxPassword: "canary-pfx-password",
    });
    const servers = await new Promise((resolve) => resource.serversWithCertificate.apply(resolve));
    assert.deepEqual(servers, ["fe01.contoso.com"]);
    const args = registered.find((r) => r.name === "oauth")!;
    assert.equal(args.type, "pulumi-nodejs:dynamic/lync:OAuthTokenIssuer");
    assert.ok(typeof args.inputs.__provider === "string" && !args.inputs.__provider.includes("canary"));
    for (const name of ["servers", "pfx", "pfxPassword"]) {
      assert.equal(
        args.inputs[name][pulumi.runtime.specialSigKey],
        pulumi.runtime.specialSecretSig,
        `${name} is secret`,
      );
    }
  });
});
