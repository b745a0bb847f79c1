import assert from "node:assert/strict";
import { DiffPacing, SEQUENTIAL_READS_BEFORE_NOTICE } from "pulumi-lync-certificates/dist/diffPacing";
import { reportOnce } from "pulumi-lync-certificates/dist/reportOnce";

describe("DiffPacing", () => {
  /** A pacing on a fake clock where every read takes `ms`. */
  function paced(ms = 1500) {
    let clock = 0;
    const lines: string[] = [];
    const pacing = new DiffPacing(
      (line) => lines.push(line),
      () => clock,
    );
    const read = () =>
      pacing.track(async () => {
        clock += ms;
        return "reading";
      });
    return { pacing, lines, read };
  }

  it("says once, in one line, what to set when diffs read servers one at a time", async () => {
    const { lines, read } = paced();
    for (let i = 0; i < SEQUENTIAL_READS_BEFORE_NOTICE * 3; i++) await read();
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.ok(!lines[0].includes("\n"));
    assert.match(lines[0], /PULUMI_PARALLEL_DIFF=true/);
    assert.match(lines[0], /PULUMI_PARALLEL=/);
    assert.match(lines[0], /refresh: always/);
    assert.match(lines[0], /1\.5 s each/);
    assert.match(lines[0], /100 servers take 150 s/, "says what sequential reads cost");
  });

  it("stays quiet for a small pool", async () => {
    const { lines, read } = paced();
    for (let i = 0; i < SEQUENTIAL_READS_BEFORE_NOTICE - 1; i++) await read();
    assert.deepEqual(lines, []);
  });

  it("stays quiet when diffs already overlap (PULUMI_PARALLEL_DIFF is on)", async () => {
    const { lines, pacing } = paced();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reads = Array.from({ length: SEQUENTIAL_READS_BEFORE_NOTICE * 2 }, () => pacing.track(() => gate));
    release();
    await Promise.all(reads);
    assert.deepEqual(lines, []);
  });

  it("passes the read's answer and its failure through", async () => {
    const { pacing } = paced();
    assert.equal(await pacing.track(async () => 42), 42);
    await assert.rejects(
      pacing.track(async () => {
        throw new Error("connecting to fe01: refused");
      }),
      /refused/,
    );
  });
});

describe("reportOnce", () => {
  it("prints a line once per reading, and every time without one", () => {
    const lines: string[] = [];
    const write = (line: string) => lines.push(line);
    const reading = {};
    reportOnce(reading, "fe01: renewal due", write);
    reportOnce(reading, "fe01: renewal due", write);
    reportOnce({}, "fe01: renewal due", write);
    reportOnce(undefined, "fe01: renewal due", write);
    reportOnce(undefined, "fe01: renewal due", write);
    assert.deepEqual(lines, Array(4).fill("fe01: renewal due"));
  });
});
