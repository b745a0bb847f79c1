import assert from "node:assert/strict";
import { decodeClixml, decodeClixmlEscapes, isClixml } from "pulumi-lync-certificates/dist/clixml";

// What Windows PowerShell 5.1 writes on a redirected stderr for `-EncodedCommand` with a failing
// command after a module's first-use progress record.
const CAPTURED = [
  "#< CLIXML",
  '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>' +
    '<S S="Error">Request-CsCertificate : Denied by Policy Module 0x80094800 &lt;CA&gt; &amp; more_x000D__x000A_</S>' +
    '<S S="Error">At line:1 char:1_x000D__x000A_</S>' +
    '<S S="warning">keep_x005F_x000D_ literal</S><S S="warning">second</S>' +
    '<S S="verbose">VERBOSE line_x000D__x000A_</S></Objs>',
].join("\r\n");

describe("clixml", () => {
  it("turns PowerShell's CLIXML stderr back into the text a console shows, by stream", () => {
    assert.ok(isClixml(CAPTURED));
    const streams = decodeClixml(CAPTURED);
    assert.equal(
      streams.error,
      "Request-CsCertificate : Denied by Policy Module 0x80094800 <CA> & more\r\nAt line:1 char:1\r\n",
    );
    assert.equal(streams.warning, "keep_x000D_ literal\r\nsecond\r\n", "one line per warning record");
    assert.equal(streams.other, "VERBOSE line\r\n");
    assert.doesNotMatch(JSON.stringify(streams), /Preparing modules/);
  });

  it("reads several CLIXML documents in a row", () => {
    const one =
      '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><S S="Error">a_x000A_</S></Objs>';
    const two = one.replace(">a_", ">b_");
    assert.equal(decodeClixml(`#< CLIXML\r\n${one}${two}`).error, "a\nb\n");
  });

  it("leaves plain text as the error stream", () => {
    assert.deepEqual(decodeClixml("The command line is too long.\r\n"), {
      error: "The command line is too long.\r\n",
      warning: "",
      other: "",
    });
  });

  it("decodes _xHHHH_ escapes, the escaped underscore included", () => {
    assert.equal(decodeClixmlEscapes("a_x0009_b_x005F_x0041_"), "a\tb_x0041_");
  });
});
