// A user's project in a temporary directory: the two packages as `npm pack` makes them, installed with
// the newest @pulumi/pulumi that runs on this Node, the way the README tells users to install them.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/support/emulatorProcess";

export interface PackedPackage {
  readonly name: string;
  readonly tarball: string;
  /** The compressed size in bytes, as npm reports it. */
  readonly size: number;
  readonly files: readonly string[];
}

/** npm run through the Node that runs the tests, so a second lane's Node also runs its npm. */
function npm(args: readonly string[], cwd: string): string {
  const npmCli = process.env.npm_execpath?.endsWith("npm-cli.js") ? process.env.npm_execpath : undefined;
  const [command, prefix] = npmCli ? [process.execPath, [npmCli]] : ["npm", []];
  try {
    return execFileSync(command, [...prefix, ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(" ")} in ${cwd} failed:\n${stdout ?? ""}${stderr ?? ""}`, { cause: error });
  }
}

/** Packs the provider and the emulator workspaces (built beforehand) into `dir`. */
export function packWorkspaces(dir: string): PackedPackage[] {
  const out = npm(["pack", "--json", "--pack-destination", dir, "-w", "provider", "-w", "emulator"], REPO_ROOT);
  // Lifecycle scripts may print before the JSON array.
  const packed = JSON.parse(out.slice(out.indexOf("["))) as {
    name: string;
    filename: string;
    size: number;
    files: { path: string }[];
  }[];
  return packed.map((p) => ({
    name: p.name,
    tarball: path.join(dir, p.filename),
    size: p.size,
    files: p.files.map((f) => f.path),
  }));
}

/** The newest @pulumi/pulumi 3.x whose `engines.node` (a `>=N` bound) admits this Node. */
export function newestPulumiSdkForThisNode(cwd: string): string {
  const out = npm(["view", "@pulumi/pulumi@>=3.216.0 <4", "version", "engines", "--json"], cwd);
  const releases = JSON.parse(out) as { version: string; engines?: { node?: string } }[];
  const major = Number(process.versions.node.split(".")[0]);
  const admitted = releases.filter(
    ({ version, engines }) => !version.includes("-") && Number(/>=\s*(\d+)/.exec(engines?.node ?? "")?.[1]) <= major,
  );
  if (admitted.length === 0) throw new Error(`no @pulumi/pulumi 3.x admits Node ${process.version}:\n${out}`);
  const parts = (v: string) => v.split(".").map(Number);
  return admitted
    .map((r) => r.version)
    .reduce((a, b) => {
      const [x, y] = [parts(a), parts(b)];
      return (x[0] - y[0] || x[1] - y[1] || x[2] - y[2]) >= 0 ? a : b;
    });
}

/**
 * `npm install <specs>` in `dir` with no install scripts, as npm 11 does for packages nobody approved
 * (npm 10 would run them), so the program proves it needs no native part. Returns what npm printed.
 */
export function npmInstall(dir: string, specs: readonly string[]): string {
  const log = path.join(dir, "npm-install.log");
  // Both streams in one file, in order, so the report shows what a user sees.
  const script = `exec >"$0" 2>&1; exec "$@"`;
  const npmCli = process.env.npm_execpath?.endsWith("npm-cli.js") ? process.env.npm_execpath : undefined;
  const command = npmCli ? [process.execPath, npmCli] : ["npm"];
  try {
    execFileSync(
      "bash",
      ["-c", script, log, ...command, "install", "--ignore-scripts", "--no-audit", "--no-fund", ...specs],
      {
        cwd: dir,
        stdio: "ignore",
      },
    );
  } catch (error) {
    throw new Error(`npm install in ${dir} failed:\n${fs.readFileSync(log, "utf8")}`, { cause: error });
  }
  return fs.readFileSync(log, "utf8");
}

/** Every directory under `root`'s node_modules trees that holds the package `name`. */
export function installedCopies(root: string, name: string): string[] {
  const found: string[] = [];
  const visit = (modules: string) => {
    if (!fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      const scoped = entry.startsWith("@")
        ? fs.readdirSync(path.join(modules, entry)).map((e) => `${entry}/${e}`)
        : [entry];
      for (const pkg of scoped) {
        const dir = path.join(modules, pkg);
        if (pkg === name) found.push(dir);
        visit(path.join(dir, "node_modules"));
      }
    }
  };
  visit(path.join(root, "node_modules"));
  return found;
}
