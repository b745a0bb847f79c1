// The emulator as its own process, the way the end-to-end tests and the demo use it: the Pulumi
// engine's provider processes connect to it over real SSH, so it must outlive any one of them and
// must not share the test runner's event loop (a blocked runner would stall the servers).

import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";

/** The repository root, from dist/scripts/support or scripts/support alike. */
export const REPO_ROOT = findRepoRoot(__dirname);

/** The bundled sample topology (contoso.com, contoso.net; pool01, dirpool; CA dc\myca). */
export const SAMPLE_TOPOLOGY = path.join(REPO_ROOT, "emulator", "topologies", "contoso.json");

export interface EmulatorProcessUser {
  /** Login name, e.g. "lyncadmin" (matches the sample CA's enroller CONTOSO\lyncadmin). */
  readonly name: string;
  readonly password: string;
}

export interface StartEmulatorProcessOptions {
  readonly users: readonly EmulatorProcessUser[];
  /** @default SAMPLE_TOPOLOGY */
  readonly topology?: string;
  /** @default - a fresh temporary directory, removed by stop() */
  readonly stateDir?: string;
  /** An authorized_keys file for key-based logins. @default - none */
  readonly authorizedKeysFile?: string;
  /** How long to wait for the ready line. @default 60000 */
  readonly startTimeoutMs?: number;
  /** The emulator's CLI script, e.g. an installed package's bin. @default emulator/dist/cli.js of this repository */
  readonly cli?: string;
}

export interface EmulatedServerEndpoint {
  readonly fqdn: string;
  readonly host: string;
  readonly port: number;
  /** OpenSSH public key line, e.g. "ssh-ed25519 AAAA..." */
  readonly hostKey: string;
  /** The WinRM HTTPS listener's port (path /wsman). */
  readonly winrmPort: number;
  /** SHA-256 fingerprint of the listener's TLS certificate, "AB:CD:…". */
  readonly winrmCertificateSha256: string;
  /** The WinRM HTTP listener's port, which refuses unencrypted SOAP (AllowUnencrypted = false). */
  readonly winrmHttpPort: number;
}

export interface EmulatorProcess {
  readonly servers: readonly EmulatedServerEndpoint[];
  readonly stateDir: string;
  readonly pid: number;
  /** The endpoint of one server; throws naming the known servers when absent. */
  server(fqdn: string): EmulatedServerEndpoint;
  /** Writes an OpenSSH known_hosts file (`[127.0.0.1]:port key`) for every server and returns its path. */
  writeKnownHosts(file?: string): string;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** SIGTERM, then SIGKILL after a grace period; removes the state directory when it was created here. */
  stop(): Promise<void>;
}

/** Starts `node emulator/dist/cli.js` and resolves once it has printed its one ready line. */
export async function startEmulatorProcess(options: StartEmulatorProcessOptions): Promise<EmulatorProcess> {
  const cli = options.cli ?? path.join(REPO_ROOT, "emulator", "dist", "cli.js");
  if (!fs.existsSync(cli)) {
    throw new Error(`starting the emulator: ${cli} does not exist; run \`npm run build\` first`);
  }
  const ownsStateDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "lync-emulator-"));
  const args = [cli, "--topology", options.topology ?? SAMPLE_TOPOLOGY, "--state", stateDir];
  if (options.authorizedKeysFile !== undefined) args.push("--authorized-keys", options.authorizedKeysFile);
  for (const user of options.users) args.push("--password", `${user.name}:${user.password}`);

  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk;
  });

  let servers: EmulatedServerEndpoint[];
  try {
    servers = await readReadyLine(child, options.startTimeoutMs ?? 60_000, () => stderr);
  } catch (error) {
    await terminate(child);
    if (ownsStateDir) fs.rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    servers,
    stateDir,
    pid: child.pid ?? -1,
    server(fqdn: string) {
      const found = servers.find((s) => s.fqdn.toLowerCase() === fqdn.toLowerCase());
      if (!found) {
        throw new Error(`no emulated server ${fqdn}; the emulator runs ${servers.map((s) => s.fqdn).join(", ")}`);
      }
      return found;
    },
    writeKnownHosts(file?: string) {
      const target = file ?? path.join(stateDir, "known_hosts");
      fs.writeFileSync(target, servers.map((s) => `[${s.host}]:${s.port} ${s.hostKey}\n`).join(""));
      return target;
    },
    stderr: () => stderr,
    stop() {
      stopped ??= terminate(child).then(() => {
        if (ownsStateDir) fs.rmSync(stateDir, { recursive: true, force: true });
      });
      return stopped;
    },
  };
}

function readReadyLine(
  child: ChildProcess,
  timeoutMs: number,
  stderr: () => string,
): Promise<EmulatedServerEndpoint[]> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const fail = (reason: string) => {
      clearTimeout(timer);
      lines.close();
      reject(new Error(`starting the emulator: ${reason}${stderr() ? `\nemulator stderr:\n${stderr()}` : ""}`));
    };
    const timer = setTimeout(() => fail(`no ready line within ${timeoutMs} ms`), timeoutMs);
    child.once("exit", (code, signal) => fail(`the process exited (${signal ?? `code ${code}`}) before it was ready`));
    child.once("error", (error) => fail(error.message));
    lines.once("line", (line) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      // Keep draining stdout so the emulator never blocks on a full pipe.
      lines.on("line", () => undefined);
      try {
        const parsed = JSON.parse(line) as { servers?: EmulatedServerEndpoint[] };
        if (!Array.isArray(parsed.servers) || parsed.servers.length === 0) {
          throw new Error("no servers listed");
        }
        resolve(parsed.servers);
      } catch (error) {
        reject(new Error(`starting the emulator: unexpected ready line ${JSON.stringify(line)}`, { cause: error }));
      }
    });
  });
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      const name = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name;
      if (name === "pulumi-lync-certificates-workspace") return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`locating the repository root: no pulumi-lync-certificates-workspace above ${start}`);
    dir = parent;
  }
}
