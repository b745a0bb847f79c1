import assert from "node:assert/strict";
import fc from "fast-check";
import {
  BOOTSTRAP_COMMAND_LINE,
  BOOTSTRAP_SCRIPT,
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
});
