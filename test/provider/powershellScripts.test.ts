import assert from "node:assert/strict";
import fc from "fast-check";
import { commandInvocations, parsePowerShell } from "lync-server-emulator/dist/powershell/parser";
import {
  assignScript,
  commandLine,
  quotePowerShell,
  readScript,
  requestScript,
  restoreScript,
} from "pulumi-lync-certificates/dist/powershellScripts";
import type { RemoteScript } from "pulumi-lync-certificates/dist/remoteInvocation";

// Characters that end or escape strings, chain statements or expand in PowerShell, plus the
// typographic quotes PowerShell treats as single quotes.
const hostileCharacter = fc.constantFrom(
  "'",
  "\u2018",
  "\u2019",
  "\u201a",
  "\u201b",
  '"',
  "\u201c",
  "\u201d",
  "`",
  "$",
  "$(",
  ")",
  ";",
  "\n",
  "\r\n",
  "|",
  "&",
  "@",
  "#",
  "<#",
  "#>",
  "{",
  "}",
  ",",
  " ",
  "-",
  "\t",
);
const hostile = fc
  .array(fc.oneof(hostileCharacter, fc.string({ minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(""));

// The commands a generated script may contain; anything else would be injected code.
const EXPECTED_COMMANDS = new Set(
  [
    "Import-Module",
    "Get-Module",
    "ConvertTo-IsoDate",
    "ConvertTo-Base64",
    "Get-CsCertificate",
    "ForEach-Object",
    "Where-Object",
    "Get-ChildItem",
    "Test-Path",
    "ConvertTo-Json",
    "Write-Output",
    "Request-CsCertificate",
    "Get-Item",
    "Import-CsCertificate",
    "Set-CsCertificate",
    "Remove-Item",
    "Remove-CsCertificate",
  ].map((c) => c.toLowerCase()),
);

async function invocations(remote: RemoteScript) {
  const script = remote.script;
  const parsed = await parsePowerShell(script);
  assert.deepEqual(parsed.errors, [], `the script does not parse:\n${script}`);
  const all = commandInvocations(parsed);
  for (const c of all)
    assert.ok(EXPECTED_COMMANDS.has(c.name.toLowerCase()), `unexpected command ${c.name} in:\n${script}`);
  return all;
}

/** Secrets are bound as parameters: none may appear in the script's text (script block logging records it). */
function assertNoSecretInText(remote: RemoteScript, secrets: readonly string[]) {
  for (const secret of secrets) {
    if (secret.length < 4) continue; // short strings occur in any script by chance
    assert.ok(!remote.script.includes(secret), `the script text contains the secret ${JSON.stringify(secret)}`);
  }
}

function argument(invocation: { arguments: { parameter?: string; value: string; kind: string }[] }, parameter: string) {
  const found = invocation.arguments.filter((a) => a.parameter?.toLowerCase() === parameter.toLowerCase());
  assert.equal(found.length, 1, `-${parameter} appears ${found.length} times`);
  return found[0];
}

describe("quotePowerShell", () => {
  const table: [string, string][] = [
    ["plain", "'plain'"],
    ["it's", "'it''s'"],
    ["\u2018a\u2019", "'\u2018\u2018a\u2019\u2019'"],
    ["\u201a\u201b", "'\u201a\u201a\u201b\u201b'"],
    ["$(Remove-Item C:\\)", "'$(Remove-Item C:\\)'"],
    ["", "''"],
  ];
  for (const [value, quoted] of table) {
    it(`quotes ${JSON.stringify(value)} as ${quoted}`, () => assert.equal(quotePowerShell(value), quoted));
  }

  it("makes every string exactly one literal argument, with its value unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostile, fc.string(), fc.string({ unit: "binary" })).filter((v) => !v.includes("\u0000")),
        async (value) => {
          const parsed = await parsePowerShell(`Write-Output ${quotePowerShell(value)}`);
          assert.deepEqual(parsed.errors, []);
          const [only, ...rest] = commandInvocations(parsed);
          assert.equal(rest.length, 0);
          assert.deepEqual(only.arguments, [{ value, kind: "literal" }]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("powershellScripts", () => {
  it("refuses a value with a NUL character rather than build a script that ends early", () => {
    assert.throws(() => quotePowerShell("a\u0000b"), /NUL character/);
  });

  it("refuses to build a command from a parameter name that is not a word", () => {
    assert.throws(() => commandLine("Set-CsCertificate", [["Type; Remove-Item", "x"]]), /not a parameter name/);
    assert.throws(() => commandLine("Set-CsCertificate; Remove-Item", []), /not a Verb-Noun/);
    assert.throws(() => commandLine("Set-CsCertificate", [["KeySize", 1.5]]), /integer/);
  });

  it("passes every value of a certificate request as exactly one literal argument", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          friendlyName: hostile,
          ca: hostile,
          caAccount: hostile,
          caPassword: hostile,
          template: hostile,
          name: hostile,
        }),
        async (v) => {
          const script = requestScript("Lync", [
            {
              index: 0,
              types: ["Default", "WebServicesInternal"],
              friendlyName: v.friendlyName,
              keySize: 2048,
              domainNames: [v.name],
              template: v.template,
              ca: v.ca,
              caAccount: v.caAccount,
              caPassword: v.caPassword,
            },
          ]);
          const requests = (await invocations(script)).filter(
            (c) => c.name === "Request-CsCertificate" && c.arguments.some((a) => a.parameter === "New"),
          );
          assert.equal(requests.length, 1);
          const [request] = requests;
          for (const [parameter, value] of [
            ["FriendlyName", v.friendlyName],
            ["CA", v.ca],
            ["CaAccount", v.caAccount],
            ["Template", v.template],
            ["DomainName", v.name],
          ]) {
            assert.deepEqual(argument(request, parameter), { parameter, value, kind: "literal" });
          }
          assert.deepEqual(argument(request, "CaPassword"), {
            parameter: "CaPassword",
            value: "$CaPassword0",
            kind: "variable",
          });
          assert.equal(script.parameters?.CaPassword0, v.caPassword);
          assertNoSecretInText(script, [v.caPassword]);
          assert.deepEqual(argument(request, "Type"), {
            parameter: "Type",
            value: "Default,WebServicesInternal",
            kind: "literal",
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("binds imported files and their passwords as parameters, and thumbprints as literals", async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ password: hostile, thumbprint: hostile, base64: hostile }), async (v) => {
        const script = assignScript(
          "SkypeForBusiness",
          [{ base64: v.base64, extension: "pfx", password: v.password }],
          [{ types: ["WebServicesExternal"], thumbprint: v.thumbprint }],
        );
        const all = await invocations(script);
        const imported = all.find((c) => c.name === "Import-CsCertificate")!;
        assert.deepEqual(argument(imported, "Path"), { parameter: "Path", value: "$path", kind: "variable" });
        assert.deepEqual(argument(imported, "Password"), {
          parameter: "Password",
          value: "$FilePassword0",
          kind: "variable",
        });
        assert.deepEqual(script.parameters, { File0: v.base64, FilePassword0: v.password });
        assertNoSecretInText(script, [v.password, v.base64]);
        const set = all.filter((c) => c.name === "Set-CsCertificate");
        assert.equal(set.length, 1);
        assert.deepEqual(argument(set[0], "Thumbprint"), {
          parameter: "Thumbprint",
          value: v.thumbprint,
          kind: "literal",
        });
        assert.deepEqual(
          argument(
            all.find((c) => c.name === "Import-Module")!,
            "Name",
          ).value,
          "SkypeForBusiness",
        );

        const restore = await invocations(
          restoreScript("Lync", [{ type: "Default", thumbprint: v.thumbprint }, { type: "WebServicesInternal" }]),
        );
        const sets = restore.filter((c) => c.name === "Set-CsCertificate");
        assert.equal(sets.length, 1);
        assert.equal(argument(sets[0], "Thumbprint").value, v.thumbprint);
        assert.equal(argument(sets[0], "Type").value, "Default");
        const removes = restore.filter((c) => c.name === "Remove-CsCertificate");
        assert.equal(argument(removes[0], "Type").value, "WebServicesInternal");
      }),
      { numRuns: 60 },
    );
  });

  it("builds a read script that parses whatever thumbprints it is given", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { maxLength: 3 }), async (thumbprints) => {
        await invocations(readScript({ module: "Lync", thumbprints }));
        await invocations(readScript({ module: undefined, thumbprints }));
      }),
      { numRuns: 40 },
    );
  });
});
