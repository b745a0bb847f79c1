import type { LyncHost } from "../lyncHost";

/**
 * -Report <file>: Lync writes an HTML log of what the cmdlet did, overwriting the file. Ours is a plain
 * list of the steps; never pass it a password or key.
 */
export function writeReport(host: LyncHost, path: unknown, cmdlet: string, steps: readonly string[]): void {
  if (typeof path !== "string" || path.trim() === "") return;
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const html =
    `<html><head><title>${cmdlet}</title></head><body>\n<h1>${cmdlet} on ${escape(host.fqdn)}</h1>\n` +
    `<p>${host.now().toISOString()}</p>\n<ul>\n${steps.map((s) => `<li>${escape(s)}</li>`).join("\n")}\n</ul>\n</body></html>\n`;
  host.fileSystem.write(path, new TextEncoder().encode(html));
}
