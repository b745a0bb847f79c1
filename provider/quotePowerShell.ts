// PowerShell treats the typographic single quotes ‘ ’ ‚ ‛ exactly like the ASCII apostrophe when it
// tokenizes a single-quoted string, so every one of them must be doubled or a value could end the
// literal early and the rest of it would run as code.
const SINGLE_QUOTE_CHARACTERS = /['\u2018\u2019\u201A\u201B]/g;

/** A PowerShell single-quoted string literal holding exactly `value`; nothing inside it is expanded. */
export function quotePowerShell(value: string): string {
  // A NUL ends the script text for PowerShell's tokenizer; no valid input contains one.
  if (value.includes("\u0000"))
    throw new Error("building a script: a value contains a NUL character, which no PowerShell literal can hold");
  return `'${value.replace(SINGLE_QUOTE_CHARACTERS, (quote) => quote + quote)}'`;
}
