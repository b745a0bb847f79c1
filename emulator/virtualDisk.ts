// A server's disk as scripts see it: Windows paths, case-insensitive, kept as plain JSON so it
// persists with the rest of the server's state. Directories exist implicitly (Windows scripts
// create them with New-Item first; nothing here depends on that).

import type { VirtualFileSystem } from "./powershell/session";

/** The persisted form: normalized lower-case path → the path as first written and the bytes. */
export type DiskContents = Record<string, { readonly path: string; readonly base64: string }>;

export class VirtualDisk {
  constructor(private readonly contents: DiskContents) {}

  /** The file system one session sees: relative paths resolve against its working directory. */
  view(workingDirectory: string): VirtualFileSystem {
    const resolve = (p: string): string => resolveWindowsPath(p, workingDirectory);
    return {
      read: (p) => this.read(resolve(p)),
      write: (p, data) => this.write(resolve(p), data),
      remove: (p) => this.remove(resolve(p)),
      exists: (p) => this.exists(resolve(p)),
    };
  }

  read(path: string): Uint8Array | undefined {
    const entry = this.contents[keyOf(path)];
    return entry ? Uint8Array.from(Buffer.from(entry.base64, "base64")) : undefined;
  }

  write(path: string, data: Uint8Array): void {
    const normalized = normalizeWindowsPath(path);
    this.contents[keyOf(normalized)] = { path: normalized, base64: Buffer.from(data).toString("base64") };
  }

  remove(path: string): boolean {
    const key = keyOf(path);
    if (!(key in this.contents)) return false;
    delete this.contents[key];
    return true;
  }

  /** A file, or a directory: a drive root or any folder that holds a file. */
  exists(path: string): boolean {
    const key = keyOf(path);
    if (key in this.contents || /^[a-z]:\\?$/.test(key)) return true;
    const prefix = key.endsWith("\\") ? key : `${key}\\`;
    return Object.keys(this.contents).some((k) => k.startsWith(prefix));
  }

  /** Every file's path as written. */
  list(): string[] {
    return Object.values(this.contents).map((e) => e.path);
  }
}

/** Backslashes, no duplicate separators, "." and ".." resolved; the drive letter upper-case. */
export function normalizeWindowsPath(path: string): string {
  const unified = path.replace(/\//g, "\\");
  const match = /^([a-zA-Z]):\\?(.*)$/.exec(unified);
  const drive = match ? `${match[1].toUpperCase()}:` : "";
  const rest = match ? match[2] : unified;
  const parts: string[] = [];
  for (const part of rest.split("\\")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `${drive}\\${parts.join("\\")}`;
}

/** An absolute path for `path` seen from `workingDirectory` (C:\x, \x on the current drive, or relative). */
export function resolveWindowsPath(path: string, workingDirectory: string): string {
  const unified = path.replace(/\//g, "\\");
  if (/^[a-zA-Z]:/.test(unified)) return normalizeWindowsPath(unified);
  const cwd = normalizeWindowsPath(workingDirectory);
  if (unified.startsWith("\\")) return normalizeWindowsPath(`${cwd.slice(0, 2)}${unified}`);
  return normalizeWindowsPath(`${cwd}\\${unified}`);
}

function keyOf(path: string): string {
  return normalizeWindowsPath(path).toLowerCase();
}
