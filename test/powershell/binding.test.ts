// Parameter binding as Windows PowerShell 5.1 does it, and the errors it reports when it cannot.

import assert from "node:assert/strict";
import { run } from "./scriptHarness";

type Call = { name: string; parameters: Record<string, unknown>; set: string };

async function bound(script: string): Promise<Call[]> {
  const calls: Call[] = [];
  const result = await run(`Import-Module Lync\n${script}`, { calls });
  assert.equal(result.stderr, "", script);
  return calls;
}

async function bindingError(script: string): Promise<string> {
  const calls: Call[] = [];
  const result = await run(`Import-Module Lync\n${script}`, { calls });
  assert.equal(calls.length, 0, "the command must not run");
  assert.equal(result.exitCode, 1);
  return result.stderr;
}

describe("PowerShell interpreter: parameter binding", () => {
  it("binds a bare-word comma list to an enum array in canonical spelling", async () => {
    const [call] = await bound("Set-FakeCertificate -type default,WEBSERVICESINTERNAL -Thumbprint abc");
    assert.deepEqual(call.parameters.Type, ["Default", "WebServicesInternal"]);
    assert.equal(call.parameters.Thumbprint, "abc");
    assert.equal(call.set, "Thumbprint");
  });

  it("binds a bare-word list written with spaces after the commas, leaving strings alone", async () => {
    const [call] = await bound('Set-FakeCertificate -Type Default, WebServicesExternal -Thumbprint "a, b"');
    assert.deepEqual(call.parameters.Type, ["Default", "WebServicesExternal"]);
    assert.equal(call.parameters.Thumbprint, "a, b");
  });

  it("binds quoted lists, arrays and variables alike", async () => {
    const calls = await bound(
      "$t = 'OAuthTokenIssuer'\nSet-FakeCertificate -Type 'Default','WebServicesExternal' -Thumbprint a\nSet-FakeCertificate -Type @('Default') -Thumbprint b\nSet-FakeCertificate -Type $t -Thumbprint c",
    );
    assert.deepEqual(
      calls.map((c) => c.parameters.Type),
      [["Default", "WebServicesExternal"], ["Default"], ["OAuthTokenIssuer"]],
    );
  });

  it("accepts unambiguous prefixes and aliases, case-insensitively", async () => {
    const [call] = await bound("set-fakecertificate -Thu abc -EFFECTIVETIME '2026-12-01T00:00:00Z' -ro -fo");
    assert.equal(call.parameters.Thumbprint, "abc");
    assert.equal(call.parameters.Roll, true);
    assert.equal(call.parameters.Force, true);
    assert.ok(call.parameters.EffectiveDate);
  });

  it("binds -Switch:$false and -Param:value", async () => {
    const [call] = await bound("Set-FakeCertificate -Thumbprint:abc -Force:$false");
    assert.equal(call.parameters.Thumbprint, "abc");
    assert.equal(call.parameters.Force, false);
  });

  it("binds positional parameters", async () => {
    const [call] = await bound("Get-FakeCertificate global");
    assert.equal(call.parameters.Identity, "global");
  });

  it("binds pipeline input by value and picks that parameter set", async () => {
    const calls = await bound(
      "Get-FakeCertificate -Type Default,WebServicesExternal | Set-FakeCertificate -Type Default",
    );
    const sets = calls.filter((c) => c.name === "Set-FakeCertificate");
    assert.equal(sets.length, 2);
    assert.ok(sets.every((c) => c.set === "Reference" && c.parameters.Reference !== undefined));
  });

  it("collects common parameters without passing them as command parameters", async () => {
    const calls: Call[] = [];
    const result = await run(
      "Import-Module Lync; Set-FakeCertificate -Thumbprint a -Verbose -ErrorAction SilentlyContinue -WhatIf",
      { calls },
    );
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(Object.keys(calls[0].parameters), ["Thumbprint"]);
  });

  it("converts -EffectiveDate to a DateTime and rejects text that is not one", async () => {
    const [call] = await bound("Set-FakeCertificate -Thumbprint a -EffectiveDate '7/20/2027 2:05 PM'");
    assert.equal((call.parameters.EffectiveDate as { date: Date }).date.toISOString(), "2027-07-20T14:05:00.000Z");
    const stderr = await bindingError("Set-FakeCertificate -Thumbprint a -EffectiveDate soon");
    assert.match(
      stderr,
      /Cannot bind parameter 'EffectiveDate'\. Cannot convert value "soon" to type "System\.DateTime"/,
    );
  });

  it("reports an unknown enum name with 5.1's message", async () => {
    const stderr = await bindingError("Set-FakeCertificate -Type Default,WebServices -Thumbprint abc");
    assert.equal(
      stderr,
      'Set-FakeCertificate : Cannot bind parameter \'Type\'. Cannot convert value "WebServices" to type "Microsoft.Rtc.Management.Deployment.CertType". Error: "Unable to match the identifier name WebServices to a valid enumerator name. Specify one of the following enumerator names and try again:\n' +
        'Default, WebServicesInternal, WebServicesExternal, OAuthTokenIssuer"\n' +
        "At line:2 char:1\n" +
        "+ Set-FakeCertificate -Type Default,WebServices -Thumbprint abc\n" +
        "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n" +
        "    + CategoryInfo          : InvalidArgument: (:) [Set-FakeCertificate], ParameterBindingException\n" +
        "    + FullyQualifiedErrorId : CannotConvertArgumentNoMessage,Set-FakeCertificate\n \n",
    );
  });

  it("reports an ambiguous prefix with its possible matches", async () => {
    const stderr = await bindingError("Get-Thing -Comp x");
    assert.match(
      stderr,
      /Get-Thing : Parameter cannot be processed because the parameter name 'Comp' is ambiguous\. Possible matches include: -Computer -ComputerFqdn\./,
    );
  });

  it("reports an unknown parameter name", async () => {
    const stderr = await bindingError("Get-Thing -Nope 1");
    assert.match(stderr, /A parameter cannot be found that matches parameter name 'Nope'\./);
    assert.match(stderr, /FullyQualifiedErrorId : NamedParameterNotFound,Get-Thing/);
  });

  it("reports missing mandatory parameters the non-interactive way", async () => {
    const stderr = await bindingError("Set-FakeCertificate -Type Default");
    assert.match(stderr, /Cannot process command because of one or more missing mandatory parameters: Thumbprint\./);
  });

  it("reports parameters from different sets as unresolvable", async () => {
    const stderr = await bindingError("Set-FakeCertificate -Thumbprint a -Path C:\\x.pfx");
    assert.match(stderr, /Parameter set cannot be resolved using the specified named parameters\./);
  });

  it("reports a surplus positional argument", async () => {
    const stderr = await bindingError("Get-FakeCertificate one two");
    assert.match(stderr, /A positional parameter cannot be found that accepts argument 'two'\./);
  });

  it("reports a missing argument and a bad integer", async () => {
    assert.match(
      await bindingError("Set-FakeCertificate -Thumbprint"),
      /Missing an argument for parameter 'Thumbprint'\. Specify a parameter of type 'System\.String' and try again\./,
    );
    assert.match(
      await bindingError("Get-Thing -Count many"),
      /Cannot convert value "many" to type "System\.Int32"\. Error: "Input string was not in a correct format\."/,
    );
  });

  it("accepts only Boolean values and numbers for [bool] parameters", async () => {
    const [call] = await bound("Get-Thing -Enabled $true");
    assert.equal(call.parameters.Enabled, true);
    assert.match(
      await bindingError("Get-Thing -Enabled yes"),
      /Boolean parameters accept only Boolean values and numbers/,
    );
  });

  it("takes a SecureString from ConvertTo-SecureString and refuses plain text", async () => {
    const [call] = await bound("Get-Thing -Secret (ConvertTo-SecureString 'p@ss' -AsPlainText -Force)");
    assert.equal(String(call.parameters.Secret), "System.Security.SecureString");
    assert.match(await bindingError("Get-Thing -Secret 'p@ss'"), /to type "System\.Security\.SecureString"/);
  });

  it("calls beforeCommand and afterCommand around each invocation with the bound parameters", async () => {
    const seen: string[] = [];
    const result = await run("Import-Module Lync; Set-FakeCertificate -Thumbprint abc -Type Default", {
      beforeCommand: (name, parameters) => {
        seen.push(`before ${name} ${JSON.stringify(parameters)}`);
      },
      afterCommand: (name) => {
        seen.push(`after ${name}`);
      },
    });
    assert.equal(result.exitCode, 0);
    assert.deepEqual(seen, [
      'before Import-Module {"Name":["Lync"]}',
      "after Import-Module",
      'before Set-FakeCertificate {"Thumbprint":"abc","Type":["Default"]}',
      "after Set-FakeCertificate",
    ]);
  });

  it("aborts the script when beforeCommand throws", async () => {
    const dropped = new Error("connection dropped");
    await assert.rejects(
      run("Import-Module Lync; Set-FakeCertificate -Thumbprint abc; 'never'", {
        beforeCommand: (name) => {
          if (name === "Set-FakeCertificate") throw dropped;
        },
      }),
      (e) => e === dropped,
    );
  });
});
