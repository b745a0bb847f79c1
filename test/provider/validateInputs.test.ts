import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { desiredCertificates } from "pulumi-lync-certificates/dist/desiredCertificates";
import { UNKNOWN } from "pulumi-lync-certificates/dist/providerInputs";
import { openSshKeyLine } from "pulumi-lync-certificates/dist/sshTransport";
import { validateInputs } from "pulumi-lync-certificates/dist/validateInputs";

const connection = { host: "fe01.contoso.com", user: "lyncadmin", password: "p" };
const valid = {
  connection,
  certificates: [
    {
      usages: ["Default", "WebServicesInternal", "WebServicesExternal"],
      subjectAlternativeNames: ["fe01.contoso.com", "pool01.contoso.com", "*.contoso.com"],
      ca: "dc\\myca",
    },
  ],
  sipDomains: [{ name: "contoso.com", mobility: true }],
};

function withEntry(entry: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { ...valid, certificates: [{ ...valid.certificates[0], ...entry }], ...extra };
}

function properties(inputs: unknown): string[] {
  return validateInputs(inputs).failures.map((f) => f.property);
}

describe("validateInputs", () => {
  it("accepts a combined certificate with a wildcard on the web services usages", () => {
    assert.deepEqual(validateInputs(valid).failures, []);
  });

  it("refuses roll on an entry whose usages switch at once, and an A/V lead time under 8 hours", () => {
    assert.deepEqual(properties(withEntry({ roll: { leadTime: "8h" } })), ["certificates[0].roll"]);
    const av = {
      usages: ["AudioVideoAuthentication"],
      subjectAlternativeNames: ["edge01.contoso.com"],
      ca: "dc\\myca",
    };
    assert.deepEqual(properties({ connection, certificates: [{ ...av, roll: { leadTime: "1h" } }] }), [
      "certificates[0].roll.leadTime",
    ]);
    const accepted = validateInputs({ connection, certificates: [{ ...av, roll: { leadTime: "12h" } }] });
    assert.deepEqual(accepted.failures, []);
    assert.equal(desiredCertificates(accepted.inputs).certificates[0].roll?.leadMs, 12 * 60 * 60 * 1000);
  });

  it("refuses an online request from an SSH key login without caAccount, naming the double hop and both fixes", () => {
    const keyLogin = { host: "fe01.contoso.com", user: "lyncadmin", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----" };
    const { failures } = validateInputs({ ...valid, connection: keyLogin });
    assert.deepEqual(
      failures.map((f) => f.property),
      ["certificates[0].caAccount"],
    );
    assert.match(failures[0].reason, /double hop/);
    assert.match(failures[0].reason, /connection\.password/);
    assert.match(failures[0].reason, /caAccount and caPassword/);
    // Either fix is accepted; a password login reaches the CA as itself.
    assert.deepEqual(
      validateInputs(withEntry({ caAccount: "CONTOSO\\certadmin", caPassword: "x" }, { connection: keyLogin }))
        .failures,
      [],
    );
    assert.deepEqual(validateInputs({ ...valid, connection: { ...keyLogin, password: "p" } }).failures, []);
    // An offline request needs no CA credentials.
    assert.deepEqual(
      validateInputs(withEntry({ ca: undefined, offline: true }, { connection: keyLogin })).failures,
      [],
    );
  });

  it("refuses caAccount without caPassword", () => {
    assert.deepEqual(properties(withEntry({ caAccount: "CONTOSO\\certadmin" })), ["certificates[0].caPassword"]);
  });

  it("normalises usage names to Lync's spelling, case-insensitively", () => {
    const { inputs, failures } = validateInputs(withEntry({ usages: ["default", "WEBSERVICESINTERNAL"] }));
    assert.deepEqual(failures, []);
    assert.deepEqual(inputs.certificates[0].usages, ["Default", "WebServicesInternal"]);
  });

  const table: [string, unknown, string, RegExp][] = [
    [
      "an unknown usage",
      withEntry({ usages: ["Web"] }),
      "certificates[0].usages",
      /"Web" is not a Lync certificate usage/,
    ],
    [
      "a SAN with a unicode look-alike",
      withEntry({ subjectAlternativeNames: ["fe01.cоntoso.com"] }),
      "certificates[0].subjectAlternativeNames[0]",
      /punycode/,
    ],
    [
      "a SAN with a quote",
      withEntry({ subjectAlternativeNames: ["fe01'; Remove-Item C:\\ -Recurse; '.contoso.com"] }),
      "certificates[0].subjectAlternativeNames[0]",
      /printable ASCII|label/,
    ],
    [
      "a single-label SAN",
      withEntry({ subjectAlternativeNames: ["fe01"] }),
      "certificates[0].subjectAlternativeNames[0]",
      /single label/,
    ],
    [
      "a label longer than 63",
      withEntry({ subjectAlternativeNames: [`${"a".repeat(64)}.contoso.com`] }),
      "certificates[0].subjectAlternativeNames[0]",
      /at most 63/,
    ],
    [
      "a wildcard on an Edge usage",
      {
        ...valid,
        certificates: [{ usages: ["External"], subjectAlternativeNames: ["*.contoso.com"], ca: "dc\\myca" }],
      },
      "certificates[0].subjectAlternativeNames[0]",
      /Edge Server certificates need every name/,
    ],
    ["a wildcard subject", withEntry({ subject: "*.contoso.com" }), "certificates[0].subject", /wildcard/],
    [
      "a wildcard in the middle",
      withEntry({ subjectAlternativeNames: ["meet.*.contoso.com"] }),
      "certificates[0].subjectAlternativeNames[0]",
      /whole leading label/,
    ],
    ["a CA without a backslash", withEntry({ ca: "myca" }), "certificates[0].ca", /<CA host>/],
    ["a CA with a quote in its host", withEntry({ ca: "d'c\\myca" }), "certificates[0].ca", /<CA host>/],
    [
      "key size 1024 without allowWeakKeySize",
      withEntry({ keySize: 1024 }),
      "certificates[0].keySize",
      /allowWeakKeySize/,
    ],
    ["key size 3000", withEntry({ keySize: 3000 }), "certificates[0].keySize", /1024, 2048 or 4096/],
    ["two sources", withEntry({ offline: true }), "certificates[0]", /exactly one source/],
    ["no source", withEntry({ ca: undefined }), "certificates[0]", /nowhere/],
    [
      "both renewal settings",
      { ...valid, renewBeforeDays: 30, renewBeforePercentage: 20 },
      "renewBeforePercentage",
      /only one/,
    ],
    [
      "a renewal percentage of 100",
      { ...valid, renewBeforePercentage: 100 },
      "renewBeforePercentage",
      /between 0 and 100/,
    ],
    ["an unknown module", { ...valid, managementModule: "Exchange" }, "managementModule", /SkypeForBusiness/],
    ["an unknown deletion policy", { ...valid, deletionPolicy: "destroy" }, "deletionPolicy", /retain/],
    ["a port out of range", { ...valid, connection: { ...connection, port: 70000 } }, "connection.port", /1 and 65535/],
    [
      "a connection without credentials",
      { ...valid, connection: { host: "fe01" } },
      "connection",
      /neither password nor privateKey/,
    ],
    [
      "a malformed host key",
      { ...valid, connection: { ...connection, hostKey: "AAAA" } },
      "connection.hostKey",
      /OpenSSH public key line/,
    ],
    ["OAuthTokenIssuer", withEntry({ usages: ["OAuthTokenIssuer"] }), "certificates[0].usages", /global certificate/],
    [
      "caPassword without ca",
      withEntry({ ca: undefined, offline: true, caPassword: "x" }),
      "certificates[0].caPassword",
      /online request/,
    ],
    [
      "certificatePem without a key",
      withEntry({ ca: undefined, certificatePem: "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----" }),
      "certificates[0].privateKeyPem",
      /private key/,
    ],
    [
      "issuedCertificatePem without offline",
      withEntry({ issuedCertificatePem: "-----BEGIN CERTIFICATE-----" }),
      "certificates[0].issuedCertificatePem",
      /offline: true/,
    ],
  ];
  for (const [what, inputs, property, reason] of table) {
    it(`refuses ${what}`, () => {
      const failure = validateInputs(inputs).failures.find((f) => f.property === property);
      assert.ok(failure, `no failure for ${property}: ${JSON.stringify(validateInputs(inputs).failures)}`);
      assert.match(failure.reason, reason);
    });
  }

  it("accepts a SAN listed twice, comparing case-insensitively and keeping the first spelling", () => {
    const names = [
      "fe01.contoso.com",
      "Pool01.contoso.com",
      "pool01.contoso.com",
      "POOL01.contoso.com.",
      "fe01.contoso.com",
    ];
    const { inputs, failures } = validateInputs(withEntry({ subjectAlternativeNames: names }));
    assert.deepEqual(failures, []);
    assert.deepEqual(inputs.certificates[0].subjectAlternativeNames, ["fe01.contoso.com", "Pool01.contoso.com"]);
    assert.deepEqual(desiredCertificates(inputs).certificates[0].subjectAlternativeNames.slice(0, 2), [
      "fe01.contoso.com",
      "pool01.contoso.com",
    ]);
  });

  it("refuses a certificatePem that carries a private key, pointing to privateKeyPem without echoing the key", () => {
    const key = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-canary-key";
    for (const block of ["PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY"]) {
      const bundle = `-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN ${block}-----\n${key}\n-----END ${block}-----\n`;
      const inputs = withEntry({
        ca: undefined,
        certificatePem: bundle,
        privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${key}`,
      });
      const failures = validateInputs(inputs).failures;
      const failure = failures.find((f) => f.property === "certificates[0].certificatePem");
      assert.ok(failure, `${block}: ${JSON.stringify(failures)}`);
      assert.match(failure.reason, /private key.*privateKeyPem/);
      assert.ok(!JSON.stringify(failures).includes(key), failure.reason);
    }
    const answered = withEntry({
      ca: undefined,
      offline: true,
      issuedCertificatePem: `-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n${key}\n-----END PRIVATE KEY-----`,
    });
    const failure = validateInputs(answered).failures.find(
      (f) => f.property === "certificates[0].issuedCertificatePem",
    );
    assert.match(failure?.reason ?? "", /private key/);
    assert.ok(!failure!.reason.includes(key));
  });

  it("accepts an rsa-sha2-256/512 host key as the ssh-rsa key the server presents", () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const { n, e } = publicKey.export({ format: "jwk" });
    const field = (b: Buffer) => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(b.length);
      return Buffer.concat([length, b]);
    };
    const mpint = (base64url: string) => {
      const bytes = Buffer.from(base64url, "base64url");
      return field(bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
    };
    const blob = Buffer.concat([field(Buffer.from("ssh-rsa")), mpint(e!), mpint(n!)]);
    const presented = openSshKeyLine(blob);
    for (const type of ["rsa-sha2-256", "rsa-sha2-512"]) {
      const hostKey = `${type} ${blob.toString("base64")} root@fe01`;
      const { inputs, failures } = validateInputs({
        ...valid,
        connection: { ...connection, hostKey, proxy: { host: "bastion", password: "p", hostKey } },
      });
      assert.deepEqual(failures, []);
      for (const line of [inputs.connection.hostKey!, inputs.connection.proxy!.hostKey!]) {
        assert.deepEqual(line.split(" ").slice(0, 2), presented.split(" "), `${type} becomes what the server presents`);
      }
    }
    const ed25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIHx1c3Rvbi1ub3QtYS1yZWFsLWtleS1mb3ItdGVzdHM=";
    const mismatch = validateInputs({ ...valid, connection: { ...connection, hostKey: `rsa-sha2-256 ${ed25519}` } });
    assert.match(mismatch.failures.find((f) => f.property === "connection.hostKey")?.reason ?? "", /ssh-ed25519/);
  });

  it("refuses a usage held by two entries and names the entry that holds it", () => {
    const inputs = {
      ...valid,
      certificates: [
        { usages: ["Default"], subjectAlternativeNames: ["fe01.contoso.com"], ca: "dc\\myca" },
        { usages: ["default", "WebServicesExternal"], subjectAlternativeNames: ["webext.contoso.com"], ca: "dc\\myca" },
      ],
    };
    const failure = validateInputs(inputs).failures.find((f) => f.property === "certificates[1].usages");
    assert.match(failure?.reason ?? "", /Default is already held by certificates\[0\]/);
  });

  it("refuses mobility when no entry holds a web services usage", () => {
    const inputs = {
      ...valid,
      certificates: [{ usages: ["Default"], subjectAlternativeNames: ["fe01.contoso.com"], ca: "dc\\myca" }],
    };
    assert.ok(properties(inputs).includes("sipDomains[0].mobility"));
  });

  it("reports every failure at once", () => {
    const inputs = {
      connection: { host: "fe01", password: "p", port: 0 },
      certificates: [
        { usages: ["Nope"], subjectAlternativeNames: ["bad name"], ca: "myca", keySize: 1024 },
        { usages: ["Default"], subjectAlternativeNames: [] },
      ],
      renewBeforeDays: -1,
    };
    assert.deepEqual(properties(inputs).sort(), [
      "certificates[0].ca",
      "certificates[0].keySize",
      "certificates[0].subjectAlternativeNames[0]",
      "certificates[0].usages",
      "certificates[1]",
      "connection.port",
      "renewBeforeDays",
    ]);
  });

  it("never echoes a password, key or PFX in a reason", () => {
    const secret = "S3cret-Canary-4711";
    const inputs = {
      connection: { host: "fe01", password: 42, privateKey: 7 },
      certificates: [
        { usages: ["Default"], subjectAlternativeNames: [], pfx: `${secret}!!`, pfxPassword: secret, ca: "dc\\myca" },
      ],
    };
    const reasons = validateInputs(inputs)
      .failures.map((f) => f.reason)
      .join("\n");
    assert.ok(reasons.length > 0);
    assert.ok(!reasons.includes(secret), reasons);
  });

  it("tolerates values that are unknown during preview", () => {
    const inputs = {
      connection: { host: UNKNOWN, user: UNKNOWN, password: UNKNOWN, port: UNKNOWN },
      certificates: [{ usages: [UNKNOWN], subjectAlternativeNames: [UNKNOWN, "fe01.contoso.com"], ca: UNKNOWN }],
      sipDomains: UNKNOWN,
      renewBeforeDays: UNKNOWN,
    };
    assert.deepEqual(validateInputs(inputs).failures, []);
    assert.deepEqual(validateInputs({ connection: UNKNOWN, certificates: UNKNOWN }).failures, []);
  });

  it("refuses every SAN carrying a character PowerShell or a shell would treat specially", () => {
    const hostile = fc.constantFrom(
      "'",
      "\u2018",
      "\u2019",
      "\u201a",
      "\u201b",
      '"',
      "`",
      "$(",
      ";",
      "\n",
      "\r",
      " ",
      "|",
      "&",
      "{",
      "}",
    );
    fc.assert(
      fc.property(fc.domain(), hostile, fc.nat(10), (domain, bad, at) => {
        const position = Math.min(at, domain.length);
        const name = domain.slice(0, position) + bad + domain.slice(position);
        const failure = validateInputs(withEntry({ subjectAlternativeNames: [name] })).failures;
        return failure.some((f) => f.property === "certificates[0].subjectAlternativeNames[0]");
      }),
    );
  });

  it("accepts every well-formed ASCII domain name as a SAN", () => {
    fc.assert(
      fc.property(
        fc
          .domain()
          .filter((d) => d.includes(".") && !/\.[0-9]+$/.test(d) && !/(^|\.)..--/.test(d.replace(/(^|\.)xn--/g, "$1"))),
        (domain) => validateInputs(withEntry({ subjectAlternativeNames: [domain] })).failures.length === 0,
      ),
    );
  });
});
