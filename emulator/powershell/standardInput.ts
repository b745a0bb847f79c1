// A process's redirected standard input, as powershell.exe sees it when OpenSSH (or a parent process)
// hands it a pipe: read lazily, so a script that never reads it does not wait for the client's EOF.

/** Where the bytes come from: the SSH channel until EOF, or fixed text. */
export type InputSource = () => Promise<string>;

export class StandardInput {
  private text: string | undefined;
  private pending: Promise<string> | undefined;
  private position = 0;

  constructor(private readonly source: InputSource) {}

  /** Standard input holding fixed text (a test, or nothing: `StandardInput.of("")`). */
  static of(text: string): StandardInput {
    return new StandardInput(() => Promise.resolve(text));
  }

  /** Everything not read yet, up to EOF ([Console]::In.ReadToEnd()). */
  async readToEnd(): Promise<string> {
    const text = await this.load();
    const rest = text.slice(this.position);
    this.position = text.length;
    return rest;
  }

  /** One line without its terminator, or null at EOF ([Console]::In.ReadLine()). */
  async readLine(): Promise<string | null> {
    const text = await this.load();
    if (this.position >= text.length) return null;
    const match = /\r\n|\n|\r/.exec(text.slice(this.position));
    const end = match ? this.position + match.index : text.length;
    const line = text.slice(this.position, end);
    this.position = match ? end + match[0].length : text.length;
    return line;
  }

  /** The remaining lines, as powershell.exe enumerates redirected stdin into `$input`. */
  async lines(): Promise<string[]> {
    const out: string[] = [];
    for (let line = await this.readLine(); line !== null; line = await this.readLine()) out.push(line);
    return out;
  }

  private async load(): Promise<string> {
    if (this.text !== undefined) return this.text;
    this.pending ??= this.source();
    this.text = await this.pending;
    return this.text;
  }
}

/** `[Console]::In`: a TextReader over the process's standard input. */
export class ConsoleReader {
  constructor(readonly input: StandardInput) {}

  async invoke(method: string): Promise<unknown> {
    switch (method.toLowerCase()) {
      case "readtoend":
        return this.input.readToEnd();
      case "readline":
        return this.input.readLine();
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
