// The language subset: statements, values, operators, strings, functions, errors and flow control.

import assert from "node:assert/strict";
import { run } from "./scriptHarness";

async function out(script: string): Promise<string> {
  const result = await run(script);
  assert.equal(result.stderr, "", `stderr of ${script}`);
  return result.stdout;
}

const cases: [string, string, string][] = [
  ["prints strings and numbers one per line", "'a'; 1; 2.5; $true", "a\n1\n2.5\nTrue\n"],
  ["adds arrays and scalars", "$x = @(1,2) + 3; $x.Count; $x[-1]", "3\n3\n"],
  ["appends with +=", "$a = @(); $a += 'x'; $a += 'y'; $a -join ','", "x,y\n"],
  ["concatenates strings with +", "$s = 'a' + 1 + $null; $s", "a1\n"],
  ["keeps integer arithmetic and divides to doubles", "7 + 3 * 2; 7 / 2; 7 % 3", "13\n3.5\n1\n"],
  ["evaluates if/elseif/else", "$x = 2; if ($x -eq 1) { 'one' } elseif ($x -eq 2) { 'two' } else { 'other' }", "two\n"],
  ["treats empty strings, zero and empty arrays as false", "if ('' -or 0 -or @()) { 'yes' } else { 'no' }", "no\n"],
  [
    "loops with foreach, break and continue",
    "foreach ($i in 1,2,3,4) { if ($i -eq 2) { continue }; if ($i -eq 4) { break }; $i }",
    "1\n3\n",
  ],
  ["loops with for and post-increment", 'for ($i = 0; $i -lt 3; $i++) { "i$i" }', "i0\ni1\ni2\n"],
  ["loops with while", "$n = 0; while ($n -lt 2) { $n++ }; $n", "2\n"],
  ["loops with do/until", "$n = 0; do { $n += 5 } until ($n -ge 10); $n", "10\n"],
  [
    "expands variables and subexpressions in double quotes",
    '$x = @(1,2); "n=$($x.Count) v=$x ${x}"',
    "n=2 v=1 2 1 2\n",
  ],
  ["keeps single-quoted strings verbatim", "'$x `n $(1)'", "$x `n $(1)\n"],
  ["applies backtick escapes in double quotes", '"a`tb`"c""d`$e"', 'a\tb"c"d$e\n'],
  ["reads here-strings", "$v = 'V'\n$h = @\"\nline $v\n  two\n\"@\n$h\n@'\nraw $v\n'@", "line V\n  two\nraw $v\n"],
  [
    "builds hashtables with case-insensitive keys",
    "$h = @{ Name = 'n'; 'b' = 2 }; $h.name; $h['B']; $h.Count",
    "n\n2\n2\n",
  ],
  [
    "builds ordered pscustomobjects",
    "$o = [pscustomobject]@{ Z = 1; A = 2 }; $o.PSObject -ne $null; ($o | ConvertTo-Json -Compress)",
    'True\n{"Z":1,"A":2}\n',
  ],
  [
    "casts values",
    "[int]'42' + 1; [string]5 + 5; [bool]'x'; ([string[]]1)[0] -is [string]; ([array]1).Count",
    "43\n55\nTrue\nTrue\n1\n",
  ],
  [
    "casts ISO 8601 strings to DateTime",
    "([datetime]'2026-01-02T03:04:05Z').ToUniversalTime().ToString('o')",
    "2026-01-02T03:04:05.0000000Z\n",
  ],
  [
    "compares case-insensitively by default",
    "'ABC' -eq 'abc'; 'ABC' -ceq 'abc'; 'abc' -like 'A*'; 'abc' -match '^a(b)'; $Matches[1]",
    "True\nFalse\nTrue\nTrue\nb\n",
  ],
  ["filters arrays with -eq", "(1,2,3,2 -eq 2).Count; @('a','b') -ne 'a'", "2\nb\n"],
  ["tests membership", "1,2 -contains 2; 3 -in 1,2; 'x' -notin 'a','b'", "True\nFalse\nTrue\n"],
  [
    "splits, joins and replaces",
    "('a,b,,c' -split ',').Count; 'a','b' -join '+'; 'Hello' -replace 'l+','L'; -join ('x','y')",
    "4\na+b\nHeLo\nxy\n",
  ],
  ["formats with -f", "'{0}-{1:D3}' -f 'a', 7", "a-007\n"],
  ["evaluates -and, -or, -not and !", "$true -and -not $false; !$true -or $false", "True\nFalse\n"],
  [
    "calls string methods",
    "' Ab '.Trim().ToUpper(); 'a.b.c'.Split('.').Count; 'abc'.Contains('b'); 'abc'.StartsWith('ab'); 'abc'.Length",
    "AB\n3\nTrue\nTrue\n3\n",
  ],
  [
    "enumerates members over arrays",
    "$o = @([pscustomobject]@{ N = 1 }, [pscustomobject]@{ N = 2 }); $o.N -join ','",
    "1,2\n",
  ],
  ["counts scalars and $null", "$null.Count; 'x'.Count; (@()).Count", "0\n1\n0\n"],
  [
    "defines functions with param blocks and returns",
    "function Add {\n param([int]$A, [int]$B = 10)\n return $A + $B\n}\nAdd 1; Add -A 1 -B 2; Add -a 3 5",
    "11\n3\n8\n",
  ],
  [
    "passes switches to functions",
    "function S {\n param([switch]$On)\n if ($On) { 'on' } else { 'off' }\n}\nS; S -On; S -On:$false",
    "off\non\noff\n",
  ],
  ["runs process blocks over pipeline input", "function Double {\n process { $_ * 2 }\n}\n1,2 | Double", "2\n4\n"],
  ["invokes script blocks with &", "$b = { param($x) \"got $x\" }; & $b 5; & { 'inline' }", "got 5\ninline\n"],
  [
    "catches throw with $_ as an ErrorRecord",
    "try { throw 'boom' } catch { $_.Exception.Message; $_.FullyQualifiedErrorId } finally { 'finally' }",
    "boom\nboom\nfinally\n",
  ],
  ["runs finally after success", "try { 'body' } finally { 'finally' }", "body\nfinally\n"],
  [
    "discards output with [void], $null = and Out-Null",
    "[void]'a'; $null = 'b'; 'c' | Out-Null; 'd' > $null; 'kept'",
    "kept\n",
  ],
  [
    "reads static members",
    "[DateTime]::UtcNow.ToString('o'); [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('hi')); [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('aGk='))",
    "2026-11-26T08:19:05.0000000Z\naGk=\nhi\n",
  ],
  ["writes through [Console]::Out", "[Console]::Out.Write('raw'); [Console]::Out.WriteLine('!')", "raw!\n"],
  ["splats hashtables into commands", "$p = @{ Name = 'splat'; Count = 2 }; Get-Thing @p", "splat|Default\n"],
  ["indexes arrays, ranges and strings", "$a = 10,20,30; $a[0]; $a[1..2] -join ','; 'abc'[1]", "10\n20,30\nb\n"],
  [
    "assigns to properties and elements",
    "$h = @{}; $h.A = 1; $h['B'] = 2; $o = [pscustomobject]@{ X = 1 }; $o.X = 5; $h.A + $h.B + $o.X",
    "8\n",
  ],
  ["runs switch statements", "switch ('b') {\n 'a' { 'A' }\n 'b' { 'B' }\n default { 'D' }\n}", "B\n"],
  [
    "runs a switch statement written on one line",
    "$x = 'b'; switch ($x) { 'a' { 'A' } 'b' { 'B' } default { 'D' } }; switch (5) { 1 { 'one' } default { 'other' } }",
    "B\nother\n",
  ],
  ["reads $PSItem and $_ in ForEach-Object", "1,2 | ForEach-Object { $PSItem + $_ }", "2\n4\n"],
  [
    "formats DateTime.ToString with custom patterns",
    "(Get-Date).ToString('yyyy-MM-dd HH:mm:ss'); (Get-Date -Format 'o')",
    "2026-11-26 08:19:05\n2026-11-26T08:19:05.0000000+00:00\n",
  ],
  ["converts DateTime to invariant text in strings", '$d = Get-Date; "$d"', "11/26/2026 08:19:05\n"],
  ["supports -is and -as", "'x' -is [string]; 1 -is [string]; ('5' -as [int]) + 1", "True\nFalse\n6\n"],
  ["passes all remaining arguments to Write-Host and Write-Output", "Write-Host a b; Write-Output c d", "a b\nc\nd\n"],
  ["defines a function with param() and its body on one line", 'function F { param($a) "got $a" }\nF 1', "got 1\n"],
  ["keeps a command's $? through an assignment", "$v = Test-FakeError q 2>$null; $?; $w = 1; $?", "False\nTrue\n"],
  [
    "ends only the script block on return inside ForEach-Object",
    "1,2,3 | ForEach-Object { if ($_ -eq 2) { return }; $_ }; 'end'",
    "1\n3\nend\n",
  ],
  [
    "breaks out of the enclosing loop from ForEach-Object",
    "foreach ($i in 1,2) { 1,2,3 | ForEach-Object { if ($_ -eq 2) { break }; \"$i$_\" } }; 'end'",
    "11\nend\n",
  ],
  ["evaluates ranges, also at the start of a statement", "1..3; (3..1) -join ','", "1\n2\n3\n3,2,1\n"],
  [
    "enumerates properties and hashtable entries",
    "$o = [pscustomobject]@{ A = 1; B = 2 }; $o.PSObject.Properties.Name -join ','; (@{ k = 'v' }.GetEnumerator() | ForEach-Object { \"$($_.Name)=$($_.Value)\" })",
    "A,B\nk=v\n",
  ],
  ["clears $Error", "Test-FakeError x 2>$null; $Error.Count; $Error.Clear(); $Error.Count", "after error\n1\n0\n"],
  [
    "grows an ArrayList with Add()",
    "$l = New-Object System.Collections.ArrayList; [void]$l.Add('a'); $l.Add('b'); $l.Count",
    "1\n2\n",
  ],
  ["supports the .Where method", "(1,2,3).Where({ $_ -gt 1 }).Count", "2\n"],
];

describe("PowerShell interpreter: language", () => {
  for (const [name, script, expected] of cases) {
    it(name, async () => {
      assert.equal(await out(script), expected);
    });
  }

  it("sets $? and $LASTEXITCODE-free exit codes from the last pipeline", async () => {
    const failed = await run("Test-FakeError 'x'");
    assert.equal(failed.exitCode, 1);
    const recovered = await run("Test-FakeError 'x'; 'ok'");
    assert.equal(recovered.exitCode, 0);
    const status = await run("Test-FakeError 'x' 2>$null; $?; 'y'; $?");
    assert.equal(status.stdout, "after error\nFalse\ny\nTrue\n");
  });

  it("exits with exit N and runs nothing after it", async () => {
    const result = await run("'before'; exit 7; 'after'");
    assert.equal(result.stdout, "before\n");
    assert.equal(result.exitCode, 7);
  });

  it("ends the script on an uncaught throw with exit code 1", async () => {
    const result = await run("'a'\nthrow 'stop here'\n'b'");
    assert.equal(result.stdout, "a\n");
    assert.equal(result.exitCode, 1);
    assert.equal(
      result.stderr,
      "stop here\nAt line:2 char:1\n+ throw 'stop here'\n+ ~~~~~~~~~~~~~~~~~\n" +
        "    + CategoryInfo          : OperationStopped: (stop here:String) [], RuntimeException\n" +
        "    + FullyQualifiedErrorId : stop here\n \n",
    );
  });

  it("fails loudly on language features outside the subset", async () => {
    const result = await run("class C { }");
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /not supported by this emulator's PowerShell/);
  });

  it("fails loudly on unknown .NET types", async () => {
    const result = await run("[Foo.Bar]::Baz()");
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /not supported by this emulator's PowerShell|Unable to find type/);
  });

  it("runs a typical provider script in a few milliseconds once the grammar is loaded", async () => {
    const script =
      "$ErrorActionPreference = 'Stop'\nImport-Module Lync\n$r = @(Get-FakeCertificate | ForEach-Object { [pscustomobject]@{ Use = [string]$_.Use; Thumbprint = $_.Thumbprint; NotAfter = $_.NotAfter.ToUniversalTime().ToString('o') } })\nConvertTo-Json -InputObject $r -Compress";
    await run(script);
    const start = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) await run(script);
    const perScript = Number(process.hrtime.bigint() - start) / 1e6 / 20;
    assert.ok(perScript < 25, `${perScript.toFixed(1)} ms per script`);
  });
});
