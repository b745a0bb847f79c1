import assert from "node:assert/strict";
import fc from "fast-check";
import {
  BOOTSTRAP_COMMAND_LINE,
  BOOTSTRAP_SCRIPT,
  END_OF_SCRIPT,
  ScriptOutputFrames,
  SESSION_BOOTSTRAP_SCRIPT,
  SESSION_COMMAND_LINE,
  sessionEnvelope,
  stdinEnvelope,
} from "pulumi-lync-certificates/dist/remoteInvocation";

describe("remoteInvocation", () => {
  it("starts every script with one short command line that holds no user data", () => {
    // Far below cmd.exe's 8,191 characters; the same bytes whatever the script.
    assert.ok(BOOTSTRAP_COMMAND_LINE.length < 1024, `${BOOTSTRAP_COMMAND_LINE.length} characters`);
    const [program, ...switches] = BOOTSTRAP_COMMAND_LINE.split(" ");
    assert.equal(program, "powershell.exe");
    assert.deepEqual(switches.slice(0, 3), ["-NoProfile", "-NonInteractive", "-EncodedCommand"]);
    assert.equal(Buffer.from(switches[3], "base64").toString("utf16le"), BOOTSTRAP_SCRIPT);
    // Nothing cmd.exe would interpret: no quotes, carets, ampersands, pipes or redirections.
    assert.doesNotMatch(BOOTSTRAP_COMMAND_LINE, /["^&|<>%]/);
  });

  it("carries the script and each parameter as one base64 line of UTF-8, whatever the text", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary" }),
        fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}$/), fc.string({ unit: "binary" })),
        (script, parameters) => {
          const lines = stdinEnvelope({ script, parameters }).split("\n");
          assert.equal(lines.pop(), "", "every line ends with a newline");
          const decoded = lines.map((line) => {
            const [name, value] = [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1)];
            assert.match(value, /^[A-Za-z0-9+/]*={0,2}$/, "only base64: immune to the console code page");
            return [name, Buffer.from(value, "base64").toString("utf8")];
          });
          assert.deepEqual(decoded, [["-", script], ...Object.entries(parameters)]);
        },
      ),
    );
  });

  it("refuses a parameter name that is not an identifier", () => {
    assert.throws(() => stdinEnvelope({ script: "", parameters: { "a b": "x" } }), /not a parameter name/);
    assert.throws(() => stdinEnvelope({ script: "", parameters: { "-": "x" } }), /not a parameter name/);
  });

  it("starts a session process with one short command line that holds no user data", () => {
    assert.ok(SESSION_COMMAND_LINE.length < 1024, `${SESSION_COMMAND_LINE.length} characters`);
    const [program, ...switches] = SESSION_COMMAND_LINE.split(" ");
    assert.equal(program, "powershell.exe");
    assert.equal(Buffer.from(switches[3], "base64").toString("utf16le"), SESSION_BOOTSTRAP_SCRIPT);
    assert.doesNotMatch(SESSION_COMMAND_LINE, /["^&|<>%]/);
  });

  it("ends each session envelope with one blank line, and no line of it is blank before that", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,5}$/), fc.string()),
        (script, parameters) => {
          const lines = sessionEnvelope({ script, parameters }).split("\n");
          assert.deepEqual(lines.slice(-2), ["", ""]);
          assert.ok(lines.slice(0, -2).every((l) => l !== ""));
        },
      ),
    );
  });

  it("cuts a session's output into each script's output, however the text is split into chunks", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.stringMatching(/^[^\r\n]{0,12}$/), { maxLength: 3 }), { maxLength: 4 }),
        fc.constantFrom("\n", "\r\n"),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        (scripts, newline, cuts) => {
          // A line that merely contains the marker, or starts with it and goes on, is output.
          const outputs = scripts.map((lines) => lines.map((l) => `${l}${newline}`).join(""));
          const text = outputs.map((o) => `${o}${END_OF_SCRIPT}${newline}`).join("") + `x${END_OF_SCRIPT}y${newline}`;
          const frames = new ScriptOutputFrames();
          const got: string[] = [];
          for (let at = 0, i = 0; at < text.length; at += cuts[i++ % cuts.length]) {
            got.push(...frames.push(text.slice(at, at + cuts[i % cuts.length])));
          }
          assert.deepEqual(got, outputs);
          assert.equal(frames.pending, `x${END_OF_SCRIPT}y${newline}`);
        },
      ),
    );
  });
});
