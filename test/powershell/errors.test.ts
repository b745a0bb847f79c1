// Error streams and exit codes as `powershell.exe -Command` gives them: non-terminating errors continue,
// statement-terminating errors end one statement, `throw` and -ErrorAction Stop end the script unless caught.

import assert from "node:assert/strict";
import { run } from "./scriptHarness";

const FAKE_ERROR =
  "Test-FakeError : nope\n" +
  "At line:1 char:1\n" +
  "+ Test-FakeError nope\n" +
  "+ ~~~~~~~~~~~~~~~~~~~\n" +
  "    + CategoryInfo          : InvalidOperation: (target1:String) [Test-FakeError], InvalidOperationException\n" +
  "    + FullyQualifiedErrorId : FakeFailure,Fake.TestErrorCommand\n \n";

describe("PowerShell interpreter: errors and exit codes", () => {
  it("renders a non-terminating error as 5.1 does and goes on", async () => {
    const result = await run("Test-FakeError nope");
    assert.equal(result.stderr, FAKE_ERROR);
    assert.equal(result.stdout, "after error\n");
    assert.equal(result.exitCode, 1);
  });

  it("ends only the statement on a command's terminating error", async () => {
    const result = await run("Test-FakeError nope -Terminate; 'next'");
    assert.equal(result.stdout, "next\n");
    assert.match(result.stderr, /^Test-FakeError : nope\n/);
    assert.equal(result.exitCode, 0);
  });

  it("makes non-terminating errors terminating with $ErrorActionPreference = 'Stop'", async () => {
    const result = await run("$ErrorActionPreference = 'Stop'\nTest-FakeError nope\n'never'");
    assert.equal(result.stdout, "");
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /^Test-FakeError : nope\nAt line:2 char:1\n/);
  });

  it("catches -ErrorAction Stop errors and exposes the ErrorRecord", async () => {
    const result = await run(
      "try { Test-FakeError nope -ErrorAction Stop; 'never' } catch { \"caught: $($_.Exception.Message) / $($_.FullyQualifiedErrorId) / $($_.CategoryInfo.Category)\" }",
    );
    assert.equal(result.stdout, "caught: nope / FakeFailure,Fake.TestErrorCommand / InvalidOperation\n");
    assert.equal(result.stderr, "");
    assert.equal(result.exitCode, 0);
  });

  it("does not catch non-terminating errors without Stop", async () => {
    const result = await run("try { Test-FakeError nope } catch { 'caught' }");
    assert.equal(result.stdout, "after error\n");
    assert.match(result.stderr, /Test-FakeError : nope/);
  });

  it("catches statement-terminating errors inside try, including unknown commands", async () => {
    const result = await run(
      "try { Get-Nothing } catch { $_.Exception.GetType().Name; $_.Exception.Message.Substring(0, 26) }",
    );
    assert.equal(result.stdout, "CommandNotFoundException\nThe term 'Get-Nothing' is \n");
  });

  it("silences errors with -ErrorAction SilentlyContinue, 2>$null and keeps them in $Error", async () => {
    const result = await run(
      "Test-FakeError a -ErrorAction SilentlyContinue; Test-FakeError b 2>$null; $Error.Count; $Error[0].Exception.Message",
    );
    assert.equal(result.stderr, "");
    assert.equal(result.stdout, "after error\nafter error\n2\nb\n");
  });

  it("collects errors into -ErrorVariable", async () => {
    const result = await run(
      "Test-FakeError x -ErrorAction SilentlyContinue -ErrorVariable problems | Out-Null; $problems.Count; [string]$problems[0]",
    );
    assert.equal(result.stdout, "1\nx\n");
  });

  it("merges errors into the success stream with 2>&1", async () => {
    const result = await run("$all = Test-FakeError x 2>&1; $all.Count; $all[0] -is [string]");
    assert.equal(result.stdout, "2\nFalse\n");
    assert.equal(result.stderr, "");
  });

  it("renders Write-Error with the invocation as prefix, Write-Warning and Write-Verbose", async () => {
    const result = await run(
      "Write-Error 'bad thing'; Write-Warning 'careful'; Write-Verbose 'quiet'; Write-Verbose 'loud' -Verbose",
    );
    assert.equal(
      result.stderr,
      "Write-Error 'bad thing' : bad thing\n" +
        "    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\n" +
        "    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException\n \n" +
        "WARNING: careful\nVERBOSE: loud\n",
    );
  });

  it("blames the function's call site for Write-Error inside a function", async () => {
    const result = await run("function Check-It {\n  Write-Error 'inner problem'\n}\nCheck-It");
    assert.equal(
      result.stderr,
      "Check-It : inner problem\nAt line:4 char:1\n+ Check-It\n+ ~~~~~~~~\n" +
        "    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\n" +
        "    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException,Check-It\n \n",
    );
  });

  it("writes verbose lines when $VerbosePreference is Continue", async () => {
    const result = await run("$VerbosePreference = 'Continue'; Write-Verbose 'on'");
    assert.equal(result.stderr, "VERBOSE: on\n");
  });

  it("renders an unknown command with CommandNotFoundException and continues", async () => {
    const result = await run("Get-CsNothing -Type Default\n'next'");
    assert.equal(
      result.stderr,
      "Get-CsNothing : The term 'Get-CsNothing' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.\n" +
        "At line:1 char:1\n+ Get-CsNothing -Type Default\n+ ~~~~~~~~~~~~~\n" +
        "    + CategoryInfo          : ObjectNotFound: (Get-CsNothing:String) [], CommandNotFoundException\n" +
        "    + FullyQualifiedErrorId : CommandNotFoundException\n \n",
    );
    assert.equal(result.stdout, "next\n");
    assert.equal(result.exitCode, 0);
  });

  it("reports calling a method on $null", async () => {
    const result = await run("$x = $null\n$x.ToUpper()");
    assert.equal(result.exitCode, 1);
    assert.match(
      result.stderr,
      /^You cannot call a method on a null-valued expression\.\nAt line:2 char:1\n\+ \$x\.ToUpper\(\)\n/,
    );
    assert.match(result.stderr, /FullyQualifiedErrorId : InvokeMethodOnNull/);
  });

  it("rethrows from catch and runs finally on the way out", async () => {
    const result = await run(
      "try { throw 'inner' } catch { throw \"outer: $($_.Exception.Message)\" } finally { 'cleanup' }",
    );
    assert.equal(result.stdout, "cleanup\n");
    assert.match(result.stderr, /^outer: inner\n/);
    assert.equal(result.exitCode, 1);
  });

  it("exits with the code of exit even after errors", async () => {
    assert.equal((await run("Test-FakeError x; exit 0")).exitCode, 0);
    assert.equal((await run("exit 3")).exitCode, 3);
  });
});

describe("PowerShell interpreter: robustness", () => {
  it("reports a command's unexpected JavaScript error on stderr with exit code 1", async () => {
    const result = await run("Broken-Thing; 'not reached'", {
      commands: [
        {
          name: "Broken-Thing",
          parameterSets: [{ name: "x", parameters: [] }],
          invoke() {
            throw new TypeError("x is undefined");
          },
        },
      ],
    });
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /The emulator's PowerShell failed while running this script: x is undefined/);
  });

  it("answers any script with a result, never a rejected promise", async () => {
    const fc = (await import("fast-check")).default;
    const token = fc.constantFrom(
      "$x",
      "=",
      "1",
      "'a'",
      '"b$x"',
      "(",
      ")",
      "{",
      "}",
      "@(",
      "@{",
      ";",
      "\n",
      "|",
      ",",
      ".",
      "::",
      "[int]",
      "-eq",
      "-not",
      "Get-Thing",
      "-Name",
      "ForEach-Object",
      "if",
      "else",
      "foreach",
      "in",
      "try",
      "catch",
      "throw",
      "return",
      "break",
      "exit",
      "function",
      "param",
      "$_",
      "+",
      "*",
      "..",
      "[",
      "]",
      "Where-Object",
      "Select-Object",
      "2>&1",
      "$null",
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 14 }), async (tokens) => {
        const result = await run(tokens.join(" "));
        assert.equal(typeof result.exitCode, "number");
        assert.doesNotMatch(result.stderr, /The emulator's PowerShell failed/, tokens.join(" "));
      }),
      { numRuns: 300 },
    );
  });
});
