// Small helpers every input rule of check() shares: how a value is shown in a reason, and what
// counts as an object or as control characters.

/** How a reason shows the value it refuses. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "nothing";
  return JSON.stringify(value) ?? String(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function hasControlCharacters(text: string): boolean {
  return [...text].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);
}

/** Records one failed rule: the property path and the reason. */
export type Fail = (property: string, reason: string) => void;
