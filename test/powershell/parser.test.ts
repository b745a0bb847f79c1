// The grammar front: what PowerShell accepts is accepted (the bare-word list quirk included), what it
// rejects is rejected with its ParseException text and nothing runs; commandInvocations lists commands.

import assert from "node:assert/strict";
import fc from "fast-check";
import { commandInvocations, parsePowerShell } from "lync-server-emulator/dist/powershell/parser";
import { run } from "./scriptHarness";

describe("PowerShell parser", () => {
  const accepted = [
    "Set-CsCertificate -Type Default,WebServicesInternal,WebServicesExternal -Thumbprint ABC",
    "Request-CsCertificate -New -Type Default,WebServicesInternal -Ca dc\\myca -AllSipDomain -verbose",
    'Request-CsCertificate -New -Type WebServicesExternal -Ca dc\\myca -DomainName "Lyncdiscover.contoso.com, Lyncdiscover.contoso.net" -verbose',
    "Get-CsCertificate | Where-Object { $_.Use -eq 'Default' } | Select-Object -ExpandProperty AlternativeNames",
    "$c = Request-CsCertificate -New -Type Default -Ca dc\\myca; Set-CsCertificate -Thumbprint $c.Thumbprint -Type Default",
    'function Get-X {\n  param([Parameter(Mandatory = $true)][string]$Name)\n  "x$Name"\n}\nGet-X -Name y',
    "try { 1 } catch { $_.Exception.Message } finally { }",
    "$h = @'\nraw\n'@\n$h",
    // Two forms PowerShell accepts and the grammar alone rejects (repaired before parsing, same positions).
    "Set-CsCertificate -Type Default, WebServicesInternal -Thumbprint ABC",
    'function F { param($a) "got $a" }',
  ];
  for (const script of accepted) {
    it(`accepts ${JSON.stringify(script.slice(0, 60))}`, async () => {
      const parsed = await parsePowerShell(script);
      assert.deepEqual(parsed.errors, []);
    });
  }

  const rejected: [string, string, string][] = [
    ["if ($x) { 1", "Missing closing '}' in statement block or type definition.", "MissingEndCurlyBrace"],
    ["$x = (1 + 2", "Missing closing ')' in expression.", "MissingEndParenthesisInExpression"],
    ["Get-Thing 'abc", "The string is missing the terminator: '.", "TerminatorExpectedAtEndOfString"],
    ['Get-Thing "abc', 'The string is missing the terminator: ".', "TerminatorExpectedAtEndOfString"],
    ["Get-Thing )", "Unexpected token ')' in expression or statement.", "UnexpectedToken"],
  ];
  for (const [script, message, id] of rejected) {
    it(`rejects ${JSON.stringify(script)} with "${message}" and runs nothing`, async () => {
      const calls: { name: string }[] = [];
      const result = await run(`Get-Thing first\n${script}`, { calls: calls as never });
      assert.equal(result.exitCode, 1);
      assert.equal(result.stdout, "");
      assert.deepEqual(calls, []);
      assert.match(result.stderr, /^At line:2 char:\d+\n\+ /);
      assert.ok(result.stderr.includes(`\n${message}\n`), result.stderr);
      assert.ok(
        result.stderr.endsWith(
          `    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\n    + FullyQualifiedErrorId : ${id}\n \n`,
        ),
        result.stderr,
      );
    });
  }

  it("points at the brace that was never closed", async () => {
    const result = await run("if ($x) { 1");
    assert.equal(
      result.stderr,
      "At line:1 char:9\n+ if ($x) { 1\n+         ~\nMissing closing '}' in statement block or type definition.\n" +
        "    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\n" +
        "    + FullyQualifiedErrorId : MissingEndCurlyBrace\n \n",
    );
  });

  it("points at the offending character", async () => {
    const result = await run("Get-Thing )");
    assert.equal(result.stderr.split("\n").slice(0, 3).join("\n"), "At line:1 char:11\n+ Get-Thing )\n+           ~");
  });

  it("lists commands with their parameters and argument kinds", async () => {
    const parsed = await parsePowerShell(
      "Import-Module Lync\n$t = 'X'\nSet-CsCertificate -Type Default,WebServicesInternal -Thumbprint $t -Force -EffectiveDate (Get-Date) -Identity:'global'\nGet-Thing 'it''s' \"a`tb\" @p",
    );
    assert.deepEqual(commandInvocations(parsed), [
      { name: "Import-Module", arguments: [{ value: "Lync", kind: "literal" }] },
      {
        name: "Set-CsCertificate",
        arguments: [
          { parameter: "Type", value: "Default,WebServicesInternal", kind: "literal" },
          { parameter: "Thumbprint", value: "$t", kind: "variable" },
          { parameter: "Force", value: "", kind: "literal" },
          { parameter: "EffectiveDate", value: "(Get-Date)", kind: "expression" },
          { parameter: "Identity", value: "global", kind: "literal" },
        ],
      },
      { name: "Get-Date", arguments: [] },
      {
        name: "Get-Thing",
        arguments: [
          { value: "it's", kind: "literal" },
          { value: "a\tb", kind: "literal" },
          { value: "@p", kind: "variable" },
        ],
      },
    ]);
  });
});

// PowerShell's tokenizer treats ‘ ’ ‚ ‛ as single quotes (System.Management.Automation.Language.CharExtensions
// IsSingleQuote), so a single-quoted literal must double every one of them, not only '.
const SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;
const quote = (text: string) => `'${text.replace(SINGLE_QUOTES, "$&$&")}'`;

const tricky = fc.constantFrom(
  "'",
  "\u2018",
  "\u2019",
  "\u201a",
  "\u201b",
  '"',
  "\u201c",
  "\u201d",
  "$",
  "$(",
  "$(Get-Thing)",
  "`",
  "`n",
  ";",
  "\n",
  "\r\n",
  "#",
  "<#",
  "#>",
  "@'",
  "'@",
  "{",
  "}",
  "(",
  ")",
  "|",
  "&",
  "\\",
  "%",
  "é",
  "😀",
  " ",
  "\t",
  "-",
);
const text = fc.array(fc.oneof(tricky, fc.string({ unit: "binary", maxLength: 4 })), { maxLength: 12 }).map((parts) =>
  // NUL ends the input for the grammar's scanner; PowerShell scripts from our provider never carry it.
  parts.join("").replace(/\0/g, ""),
);

describe("PowerShell single-quoted literals (property)", () => {
  it("round-trips any text quoted with every single-quote character doubled", async () => {
    await fc.assert(
      fc.asyncProperty(text, async (value) => {
        const calls: { name: string }[] = [];
        const result = await run(`$v = ${quote(value)}\n[Console]::Out.Write($v)`, { calls: calls as never });
        assert.equal(result.stderr, "");
        assert.equal(result.stdout, value);
        assert.deepEqual(calls, []);
      }),
      { numRuns: 300 },
    );
  });

  it("binds such a literal unchanged as a command argument", async () => {
    await fc.assert(
      fc.asyncProperty(text, async (value) => {
        const calls: { name: string; parameters: Record<string, unknown> }[] = [];
        const result = await run(`Get-Thing -Name ${quote(value)}`, { calls: calls as never });
        assert.equal(result.stderr, "");
        assert.equal(calls[0].parameters.Name, value);
      }),
      { numRuns: 200 },
    );
  });

  it("never round-trips when only ' is doubled and the text holds a typographic quote: PowerShell ends or unescapes there", async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom("\u2018", "\u2019", "\u201a", "\u201b"), text, async (a, q, b) => {
        const value = a + q + b;
        const naive = `'${value.replace(/'/g, "''")}'`;
        const result = await run(`$v = ${naive}\n[Console]::Out.Write($v)`);
        assert.ok(result.exitCode !== 0 || result.stdout !== value, naive);
      }),
      { numRuns: 100 },
    );
  });
});
