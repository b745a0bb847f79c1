// A process's redirected standard input, as powershell.exe sees it when OpenSSH (or a parent process)
// hands it a pipe. Bytes arrive as the client sends them; a reader waits only for what it asks:
// ReadLine() for one whole line (or EOF), ReadToEnd() and `$input` for EOF. So a script that never
// reads stdin does not wait for the client's EOF, and a script that reads a line at a time can answer
// each line before the next one is sent, as .NET's Console.In does over a pipe.

export class StandardInput {
  private buffer = "";
  private ended = false;
  private waiters: (() => void)[] = [];

  /** Standard input holding fixed text, already at EOF (a test, or nothing: `StandardInput.of("")`). */
  static of(text: string): StandardInput {
    const input = new StandardInput();
    input.push(text);
    input.end();
    return input;
  }

  /** More text from the pipe. */
  push(text: string): void {
    if (this.ended || text === "") return;
    this.buffer += text;
    this.wake();
  }

  /** The writer closed the pipe (the SSH client's EOF, or the channel closed). */
  end(): void {
    this.ended = true;
    this.wake();
  }

  /** Everything not read yet, up to EOF ([Console]::In.ReadToEnd()). */
  async readToEnd(): Promise<string> {
    while (!this.ended) await this.more();
    const rest = this.buffer;
    this.buffer = "";
    return rest;
  }

  /**
   * One line without its terminator, or null at EOF ([Console]::In.ReadLine()). `beforeWait` runs
   * once if the line has not fully arrived: what the process wrote so far reaches the client first.
   */
  async readLine(beforeWait?: () => void): Promise<string | null> {
    let waited = false;
    for (;;) {
      const match = /\r\n|\n|\r/.exec(this.buffer);
      // A CR at the end of what arrived may be the first half of a CRLF: wait for the next byte.
      const complete = match && !(match[0] === "\r" && match.index === this.buffer.length - 1 && !this.ended);
      if (match && complete) {
        const line = this.buffer.slice(0, match.index);
        this.buffer = this.buffer.slice(match.index + match[0].length);
        return line;
      }
      if (this.ended) {
        if (this.buffer === "") return null;
        const line = this.buffer;
        this.buffer = "";
        return line;
      }
      if (!waited) beforeWait?.();
      waited = true;
      await this.more();
    }
  }

  /** The remaining lines, as powershell.exe enumerates redirected stdin into `$input`. */
  async lines(): Promise<string[]> {
    const out: string[] = [];
    for (let line = await this.readLine(); line !== null; line = await this.readLine()) out.push(line);
    return out;
  }

  private more(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }
}

/** `[Console]::In`: a TextReader over the process's standard input. */
export class ConsoleReader {
  /** `beforeWait` hands the process's output so far to the client before a read blocks. */
  constructor(
    readonly input: StandardInput,
    private readonly beforeWait?: () => void,
  ) {}

  async invoke(method: string): Promise<unknown> {
    switch (method.toLowerCase()) {
      case "readtoend":
        this.beforeWait?.();
        return this.input.readToEnd();
      case "readline":
        return this.input.readLine(this.beforeWait);
      default:
        return NOT_A_READER_METHOD;
    }
  }
}

export const NOT_A_READER_METHOD = Symbol("not a TextReader method");

/** The top-level `$input` of powershell.exe: an enumerator over stdin lines, consumed once. */
export class StdinEnumerator {
  constructor(readonly input: StandardInput) {}
}
