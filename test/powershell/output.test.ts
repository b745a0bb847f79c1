// What a script prints: ConvertTo-Json byte for byte as Windows PowerShell 5.1 writes it, Out-Default's
// list and table views, the enumeration limit, and the built-in cmdlets' results.

import assert from "node:assert/strict";
import { dotnetObject } from "lync-server-emulator/dist/powershell/command";
import { PSObject } from "lync-server-emulator/dist/powershell/values";
import { MemoryFileSystem, run } from "./scriptHarness";

async function stdout(script: string, fileSystem = new MemoryFileSystem()): Promise<string> {
  const result = await run(`Import-Module Lync\n${script}`, { fileSystem });
  assert.equal(result.stderr, "", script);
  assert.equal(result.exitCode, 0);
  return result.stdout;
}

describe("PowerShell interpreter: ConvertTo-Json as in Windows PowerShell 5.1", () => {
  it("writes a single object unwrapped, enums as numbers, dates as \\/Date(ms)\\/, nested arrays aligned", async () => {
    const out = await stdout("Get-FakeCertificate -Type WebServicesExternal | ConvertTo-Json");
    assert.equal(
      out,
      "{\r\n" +
        '    "Issuer":  "CN=contoso-DC-CA",\r\n' +
        '    "NotAfter":  "\\/Date(1816092309000)\\/",\r\n' +
        '    "NotBefore":  "\\/Date(1753020309000)\\/",\r\n' +
        '    "SerialNumber":  "1A2B",\r\n' +
        '    "Subject":  "CN=pool.contoso.com",\r\n' +
        '    "AlternativeNames":  [\r\n' +
        '                             "sip.contoso.com",\r\n' +
        '                             "pool.contoso.com",\r\n' +
        '                             "fe01.contoso.com",\r\n' +
        '                             "meet.contoso.com",\r\n' +
        '                             "dialin.contoso.com"\r\n' +
        "                         ],\r\n" +
        '    "Thumbprint":  "ABCDEF0123456789ABCDEF0123456789ABCDEF01",\r\n' +
        '    "Use":  2\r\n' +
        "}\n",
    );
  });

  it("wraps several objects in an array and keeps @() of one unwrapped through the pipeline", async () => {
    assert.equal(await stdout("1,2 | ConvertTo-Json -Compress"), "[1,2]\n");
    assert.equal(await stdout("@(1) | ConvertTo-Json -Compress"), "1\n");
    assert.equal(await stdout("ConvertTo-Json -InputObject @(1) -Compress"), "[1]\n");
    assert.equal(await stdout("ConvertTo-Json @(1,2)"), "[\r\n    1,\r\n    2\r\n]\n");
  });

  it("turns objects deeper than -Depth 2 into their ToString()", async () => {
    assert.equal(
      await stdout("@{a=@{b=@{c=@{d=1}}}} | ConvertTo-Json -Compress"),
      '{"a":{"b":{"c":"System.Collections.Hashtable"}}}\n',
    );
    assert.equal(
      await stdout("@{a=@{b=@{c=@{d=1}}}} | ConvertTo-Json -Compress -Depth 3"),
      '{"a":{"b":{"c":{"d":1}}}}\n',
    );
    assert.equal(
      await stdout(
        "[pscustomobject]@{ a = [pscustomobject]@{ b = [pscustomobject]@{ c = [pscustomobject]@{ d = 1 } } } } | ConvertTo-Json -Compress",
      ),
      '{"a":{"b":{"c":"@{d=1}"}}}\n',
    );
  });

  it("escapes quotes, control characters and ' < > & as JavaScriptSerializer does", async () => {
    assert.equal(
      await stdout('"it\'s <b> & `"q`" \\ `t" | ConvertTo-Json'),
      '"it\\u0027s \\u003cb\\u003e \\u0026 \\"q\\" \\\\ \\t"\n',
    );
  });

  it("writes null, booleans, empty arrays and empty objects", async () => {
    assert.equal(
      await stdout("[pscustomobject]@{ n = $null; t = $true; e = @(); o = @{} } | ConvertTo-Json"),
      '{\r\n    "n":  null,\r\n    "t":  true,\r\n    "e":  [\r\n\r\n          ],\r\n    "o":  {\r\n\r\n          }\r\n}\n',
    );
  });

  it("writes Get-Date as 5.1 does (with DisplayHint) but a computed DateTime as a plain date string", async () => {
    assert.equal(
      await stdout("Get-Date | ConvertTo-Json -Compress; @{ When = (Get-Date).AddDays(1) } | ConvertTo-Json -Compress"),
      '{"value":"\\/Date(1795681145000)\\/","DisplayHint":2,"DateTime":"Thursday, November 26, 2026 8:19:05 AM"}\n' +
        '{"When":"\\/Date(1795767545000)\\/"}\n',
    );
  });

  it("round-trips through ConvertFrom-Json, dates included", async () => {
    const out = await stdout(
      "$j = Get-FakeCertificate -Type Default | ConvertTo-Json\n$o = $j | ConvertFrom-Json\n$o.Use; $o.AlternativeNames.Count; $o.NotAfter.ToUniversalTime().ToString('o')",
    );
    assert.equal(out, "0\n5\n2027-07-20T14:05:09.0000000Z\n");
  });

  it("lets scripts normalise what 5.1 gets wrong: Use as text, dates as ISO 8601, results always an array", async () => {
    const out = await stdout(
      "$r = @(Get-FakeCertificate -Type Default | ForEach-Object { [pscustomobject]@{ Use = [string]$_.Use; NotAfter = $_.NotAfter.ToUniversalTime().ToString('o') } })\nConvertTo-Json -InputObject $r -Compress",
    );
    assert.equal(out, '[{"Use":"Default","NotAfter":"2027-07-20T14:05:09.0000000Z"}]\n');
  });
});

describe("PowerShell interpreter: Out-Default", () => {
  it("shows objects with more than four properties as a list, collections cut at $FormatEnumerationLimit", async () => {
    const out = await stdout("Get-FakeCertificate -Type Default");
    assert.equal(
      out,
      "\n\n" +
        "Issuer           : CN=contoso-DC-CA\n" +
        "NotAfter         : 7/20/2027 2:05:09 PM\n" +
        "NotBefore        : 7/20/2025 2:05:09 PM\n" +
        "SerialNumber     : 1A2B\n" +
        "Subject          : CN=pool.contoso.com\n" +
        "AlternativeNames : {sip.contoso.com, pool.contoso.com, fe01.contoso.com, meet.contoso.com...}\n" +
        "Thumbprint       : ABCDEF0123456789ABCDEF0123456789ABCDEF01\n" +
        "Use              : Default\n\n\n\n",
    );
  });

  it("shows every element when $FormatEnumerationLimit is -1", async () => {
    const out = await stdout(
      "$FormatEnumerationLimit = -1\nGet-FakeCertificate -Type Default | Format-List AlternativeNames",
    );
    assert.match(
      out,
      /AlternativeNames : \{sip\.contoso\.com, pool\.contoso\.com, fe01\.contoso\.com, meet\.contoso\.com, dialin\.contoso\.com\}/,
    );
  });

  it("shows objects with up to four properties as a table, numbers right-aligned", async () => {
    const out = await stdout(
      "[pscustomobject]@{ Name = 'alpha'; Size = 5 }; [pscustomobject]@{ Name = 'b'; Size = 100 }",
    );
    assert.equal(out, "\nName  Size\n----  ----\nalpha    5\nb      100\n\n\n");
  });

  it("shows hashtables in the Name/Value view with a 30-column Name", async () => {
    assert.equal(
      await stdout("@{ Thumbprint = 'AB'; Use = 'Default' }"),
      "\nName                           Value\n----                           -----\nThumbprint                     AB\nUse                            Default\n\n\n",
    );
  });

  it("selects, sorts, filters and expands", async () => {
    const out = await stdout(
      '$items = 3,1,2 | ForEach-Object { [pscustomobject]@{ N = $_; Use = "u$_" } }\n' +
        "($items | Sort-Object N -Descending | Select-Object -First 2 -ExpandProperty Use) -join ','\n" +
        "($items | Where-Object N -ge 2 | Sort-Object -Property N | ForEach-Object Use) -join ','\n" +
        "($items | Where-Object { $_.Use -like 'u1' }).N\n" +
        "(1,1,2 | Select-Object -Unique) -join ','\n" +
        "($items | Select-Object -Property N | Select-Object -Last 1).N",
    );
    assert.equal(out, "u3,u2\nu2,u3\n1\n1,2\n2\n");
  });

  it("supports the named forms of the pipeline cmdlets", async () => {
    const out = await stdout(
      "$items = 'b','a','b','c' | ForEach-Object -Begin { 'start' } -Process { [pscustomobject]@{ Use = $_ } } -End { 'end' }\n" +
        "($items | Where-Object -Property Use -EQ -Value b).Count\n" +
        "($items | Where-Object Use -Like 'c*' | ForEach-Object -MemberName Use)\n" +
        "($items | Select-Object -Skip 2 -First 2 | ForEach-Object Use) -join ','\n" +
        "(('b','a','b') | Sort-Object -Unique) -join ','\n" +
        "('x','y' | Measure-Object).Count\n" +
        "(Get-Command Get-Date).Name\n" +
        "(New-Object PSObject -Property @{ K = 'v' }).K\n" +
        "('a' | Out-String -Stream)[0]",
    );
    assert.equal(out, "2\nc\na,b\na,b\n2\nGet-Date\nv\na\n");
  });

  it("shows certificates in the certificate provider's Thumbprint/Subject view", async () => {
    const result = await run("Get-Cert", {
      commands: [
        {
          name: "Get-Cert",
          parameterSets: [{ name: "x", parameters: [] }],
          invoke(context) {
            for (const [thumbprint, subject] of [
              ["AB".repeat(20), "CN=fe01.contoso.com"],
              ["CD".repeat(20), "CN=pool.contoso.com"],
            ]) {
              context.output(
                dotnetObject("System.Security.Cryptography.X509Certificates.X509Certificate2", {
                  PSParentPath: "Microsoft.PowerShell.Security\\Certificate::LocalMachine\\My",
                  Thumbprint: thumbprint,
                  Subject: subject,
                  FriendlyName: "",
                  NotAfter: null,
                }),
              );
            }
          },
        },
      ],
    });
    assert.equal(
      result.stdout,
      "\n   PSParentPath: Microsoft.PowerShell.Security\\Certificate::LocalMachine\\My\n\n" +
        "Thumbprint                                Subject\n" +
        "----------                                -------\n" +
        "ABABABABABABABABABABABABABABABABABABABAB  CN=fe01.contoso.com\n" +
        "CDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCD  CN=pool.contoso.com\n\n\n",
    );
  });

  it("prints an object's own ToString() in strings and property views", async () => {
    class Named extends PSObject {
      override toString(): string {
        return "shown";
      }
    }
    const result = await run('$n = Get-Named; "$n"; [pscustomobject]@{ N = $n }', {
      commands: [
        {
          name: "Get-Named",
          parameterSets: [{ name: "x", parameters: [] }],
          invoke: (c) => c.output(new Named(["Some.Type"], { A: 1 })),
        },
      ],
    });
    assert.equal(result.stdout, "shown\n\nN\n-\nshown\n\n\n");
  });

  it("renders Out-String and Format-Table text", async () => {
    const out = await stdout(
      "$t = [pscustomobject]@{ A = 1 } | Out-String; $t.Length -gt 0; [pscustomobject]@{ A = 'x'; B = 'y' } | Format-Table A",
    );
    assert.equal(out, "True\n\nA\n-\nx\n\n\n");
  });

  it("prints Write-Host text in order with the success stream", async () => {
    assert.equal(await stdout("'one'; Write-Host 'two' -NoNewline; Write-Host '!'; 'three'"), "one\ntwo!\nthree\n");
  });

  it("shows a DateTime on its own in the long en-US form", async () => {
    assert.equal(await stdout("Get-Date"), "\nThursday, November 26, 2026 8:19:05 AM\n\n\n");
  });
});

describe("PowerShell interpreter: files and modules", () => {
  it("writes, reads, tests and removes files case-insensitively", async () => {
    const fs = new MemoryFileSystem();
    const out = await stdout(
      "Set-Content -Path C:\\Temp\\a.txt -Value 'x','y'\n(Get-Content c:\\temp\\A.TXT) -join '+'\nTest-Path C:\\TEMP\\a.txt\nRemove-Item C:\\Temp\\a.txt\nTest-Path C:\\Temp\\a.txt",
      fs,
    );
    assert.equal(out, "x+y\nTrue\nFalse\n");
  });

  it("moves bytes through [System.IO.File] and base64", async () => {
    const fs = new MemoryFileSystem();
    const out = await stdout(
      "[System.IO.File]::WriteAllBytes('C:\\out\\c.pfx', [Convert]::FromBase64String('AAEC/w=='))\n[System.IO.File]::Exists('c:\\OUT\\c.pfx')\n[Convert]::ToBase64String([System.IO.File]::ReadAllBytes('C:\\out\\c.pfx'))",
      fs,
    );
    assert.equal(out, "True\nAAEC/w==\n");
    assert.deepEqual([...fs.read("C:\\out\\c.pfx")!], [0, 1, 2, 255]);
  });

  it("reports a missing file as PowerShell's ItemNotFoundException", async () => {
    const result = await run("Get-Content C:\\nope.txt");
    assert.equal(result.exitCode, 1);
    assert.equal(
      result.stderr,
      "Get-Content : Cannot find path 'C:\\nope.txt' because it does not exist.\n" +
        "At line:1 char:1\n+ Get-Content C:\\nope.txt\n+ ~~~~~~~~~~~~~~~~~~~~~~~\n" +
        "    + CategoryInfo          : ObjectNotFound: (C:\\nope.txt:String) [Get-Content], ItemNotFoundException\n" +
        "    + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.GetContentCommand\n \n",
    );
  });

  it("keeps Lync commands hidden until their module is imported, and rejects unknown modules", async () => {
    const before = await run("Get-FakeCertificate");
    assert.match(
      before.stderr,
      /^Get-FakeCertificate : The term 'Get-FakeCertificate' is not recognized as the name of a cmdlet/,
    );
    const unknown = await run("Import-Module Exchange");
    assert.equal(unknown.exitCode, 1);
    assert.match(
      unknown.stderr,
      /^Import-Module : The specified module 'Exchange' was not loaded because no valid module file was found in any module directory\.\n/,
    );
  });

  it("lets supplied commands replace built-ins of the same name", async () => {
    const result = await run("Get-Date", {
      commands: [
        { name: "Get-Date", parameterSets: [{ name: "x", parameters: [] }], invoke: (c) => c.output("replaced") },
      ],
    });
    assert.equal(result.stdout, "replaced\n");
  });
});
