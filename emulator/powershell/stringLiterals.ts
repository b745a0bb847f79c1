// The values of string literals: single-quoted (verbatim) strings and here-strings, and the literal parts
// of double-quoted ones (backtick escapes, doubled quotes).

/** The characters PowerShell's tokenizer reads as a single quote (typographic ones included). */
export const SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b";
/** The characters PowerShell's tokenizer reads as a double quote. */
export const DOUBLE_QUOTES = '"\u201c\u201d\u201e';

/** The value of a single-quoted literal: any doubled quote character (' ‘ ’ ‚ ‛) stands for the second one. */
export function verbatimStringValue(text: string): string {
  const body = text.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (SINGLE_QUOTES.includes(c) && i + 1 < body.length && SINGLE_QUOTES.includes(body[i + 1])) {
      out += body[i + 1];
      i++;
    } else out += c;
  }
  return out;
}

/** The body of a single-quoted here-string: the lines between `@'` and `'@`, without the last line break. */
export function verbatimHereStringValue(text: string): string {
  return text.replace(/^@'[ \t]*\r?\n/, "").replace(/\r?\n'@$/, "");
}

const BACKTICK_ESCAPES: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/** Expands backtick escapes and doubled double quotes in the literal parts of a double-quoted string. */
export function unescapeExpandable(raw: string): string {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "`" && i + 1 < raw.length) {
      const n = raw[++i];
      if (n === "\r" && raw[i + 1] === "\n") {
        i++;
        continue;
      }
      if (n === "\n") continue;
      out += BACKTICK_ESCAPES[n] ?? n;
    } else if (DOUBLE_QUOTES.includes(c) && i + 1 < raw.length && DOUBLE_QUOTES.includes(raw[i + 1])) {
      out += raw[++i];
    } else out += c;
  }
  return out;
}
