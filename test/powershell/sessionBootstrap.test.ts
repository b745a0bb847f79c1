// The provider's session bootstrap as Windows PowerShell 5.1 runs it: standard input read one line at
// a time with [Console]::In.ReadLine() while the client is still writing, each script answered
// (its output, then the end-of-script line) before the next one arrives, in a scope of its own.

import assert from "node:assert/strict";
import { StandardInput } from "lync-server-emulator/dist/powershell/standardInput";
import {
  END_OF_SCRIPT,
  ScriptOutputFrames,
  SESSION_BOOTSTRAP_SCRIPT,
  sessionEnvelope,
} from "pulumi-lync-certificates/dist/remoteInvocation";
import { run } from "./scriptHarness";

/** A session process fed one script at a time, as a transport drives it. */
function startSession() {
  const stdin = new StandardInput();
  const frames = new ScriptOutputFrames();
  const answers: string[] = [];
  let wake: () => void = () => undefined;
  const finished = run(SESSION_BOOTSTRAP_SCRIPT, {
    stdin,
    onStdout: (text) => {
      answers.push(...frames.push(text));
      wake();
    },
  });
  /** The answer to the n-th script (from 0), once it has come. */
  const answer = async (n: number): Promise<string> => {
    while (answers.length <= n) await new Promise<void>((resolve) => (wake = resolve));
    return answers[n];
  };
  return {
    stdin,
    finished,
    answer,
    /** Sends a script and waits for its answer (the process keeps running). */
    ask(script: string, parameters?: Record<string, string>): Promise<string> {
      const n = answers.length;
      stdin.push(sessionEnvelope({ script, parameters }));
      return answer(n);
    },
  };
}

describe("the provider's session bootstrap", () => {
  it("answers each script before the next one is sent, and ends with exit code 0 at EOF", async () => {
    const session = startSession();
    assert.equal(await session.ask("'one'"), "one\n");
    assert.equal(await session.ask('param([string]$Secret) "got $Secret"', { Secret: "s ü:1" }), "got s ü:1\n");
    session.stdin.end();
    const result = await session.finished;
    assert.deepEqual([result.stdout, result.stderr, result.exitCode], ["", "", 0]);
  });

  it("runs each script in a scope of its own: variables and functions do not reach the next script", async () => {
    const session = startSession();
    await session.ask("$left = 'x'; function Get-Left { 'f' }; $ErrorActionPreference = 'Continue'");
    assert.equal(
      await session.ask(
        "[string]($null -eq $left); [string]($null -eq (Get-Command Get-Left -ErrorAction SilentlyContinue)); $ErrorActionPreference",
      ),
      "True\nTrue\nStop\n",
    );
    session.stdin.end();
    await session.finished;
  });

  it("ends the process on a script's terminating error, with exit code 1 and the error on stderr", async () => {
    const session = startSession();
    await session.ask("'fine'");
    session.stdin.push(sessionEnvelope({ script: "'partial'; throw 'broken'" }));
    const result = await session.finished;
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, "partial\n");
    assert.match(result.stderr, /broken/);
    assert.doesNotMatch(result.stdout, new RegExp(END_OF_SCRIPT));
  });

  it("waits for a whole line: an envelope split anywhere still arrives intact", async () => {
    const session = startSession();
    const envelope = sessionEnvelope({ script: "param([string]$V) $V", parameters: { V: "value" } });
    assert.equal(await session.ask("'first'"), "first\n");
    for (const piece of envelope.match(/.{1,7}/gs) ?? []) {
      session.stdin.push(piece);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(await session.answer(1), "value\n");
    session.stdin.end();
    assert.equal((await session.finished).exitCode, 0);
  });
});
