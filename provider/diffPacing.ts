// Says once, in one line, what to set when diffs arrive one at a time, each waiting for a live read:
// only the provider sees that (the engine diffs in sequence unless PULUMI_PARALLEL_DIFF is set).

/** How many live reads in a row, none overlapping, before the notice: a small pool is not worth it. */
export const SEQUENTIAL_READS_BEFORE_NOTICE = 8;

export class DiffPacing {
  private inFlight = 0;
  private overlapped = false;
  private sequential = 0;
  private totalMs = 0;
  private noticed = false;

  constructor(
    private readonly say: (line: string) => void,
    private readonly now: () => number = Date.now,
    private readonly threshold = SEQUENTIAL_READS_BEFORE_NOTICE,
  ) {}

  /** Runs a diff's live read and counts it. */
  async track<T>(read: () => Promise<T>): Promise<T> {
    this.inFlight++;
    if (this.inFlight > 1) this.overlapped = true;
    const started = this.now();
    try {
      return await read();
    } finally {
      this.inFlight--;
      this.sequential++;
      this.totalMs += this.now() - started;
      this.maybeNotice();
    }
  }

  /** Starts counting afresh, as a new process would (tests). */
  reset(): void {
    this.inFlight = 0;
    this.overlapped = false;
    this.sequential = 0;
    this.totalMs = 0;
    this.noticed = false;
  }

  private maybeNotice(): void {
    if (this.noticed || this.overlapped || this.sequential < this.threshold) return;
    this.noticed = true;
    const each = this.totalMs / this.sequential / 1000;
    this.say(
      `pulumi-lync: the engine is diffing servers one at a time (${this.sequential} so far, ${each.toFixed(1)} s each: ` +
        `100 servers take ${Math.round(each * 100)} s); set PULUMI_PARALLEL_DIFF=true and PULUMI_PARALLEL=256, or add ` +
        `"options: refresh: always" to Pulumi.yaml, to read them all at once in about the time of one (README: Large deployments)`,
    );
  }
}

/** The one pacing of this provider process; its notice goes where the engine shows diagnostics. */
export const diffPacing = new DiffPacing((line) => process.stderr.write(`${line}\n`));
