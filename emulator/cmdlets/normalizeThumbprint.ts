/** Thumbprints as Windows compares them: hex only, case-insensitive (copied ones often carry spaces or a hidden U+200E). */
export function normalizeThumbprint(value: unknown): string {
  return String(value ?? "")
    .replace(/[^0-9a-fA-F]/g, "")
    .toUpperCase();
}
