// Drives the real pulumi CLI (scripts/pulumi: built from Go on first use, offline, file backend)
// for the tests, the demo and the bench.

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./emulatorProcess";

export interface PulumiRunOptions {
  /** The program's directory (where Pulumi.yaml is). */
  readonly cwd: string;
  /** The file backend's directory; created if missing. */
  readonly backendDir: string;
  /** Extra environment, applied over the test process's own. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The passphrase of the stack's secrets provider.
   * @default "" (scripts/pulumi's default; the passphrase provider accepts an empty one)
   */
  readonly passphrase?: string;
  /** Written to the CLI's stdin, which is otherwise closed. */
  readonly stdin?: string;
}

export interface PulumiRunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as printed, for assertion messages. */
  readonly output: string;
}

/** The path of scripts/pulumi, the project's pulumi CLI wrapper. */
export function pulumiBinary(): string {
  return path.join(REPO_ROOT, "scripts", "pulumi");
}

/** Runs `pulumi <args>`; resolves with the exit code and output, never rejects on a non-zero exit. */
export function runPulumi(args: readonly string[], options: PulumiRunOptions): Promise<PulumiRunResult> {
  fs.mkdirSync(options.backendDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${options.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: options.passphrase ?? "",
    // No spinners or colour codes in the captured output.
    PULUMI_SKIP_CONFIRMATIONS: "true",
    NO_COLOR: "1",
    ...options.env,
  };
  // A caller-side PULUMI_CONFIG_PASSPHRASE_FILE would win over the passphrase given here.
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  return new Promise((resolve) => {
    const child = spawn(pulumiBinary(), ["--color=never", ...args], {
      cwd: options.cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      output += chunk;
    });
    child.on("error", (err) => {
      const message = `starting ${pulumiBinary()} in ${options.cwd}: ${err.message}\n`;
      resolve({ code: 127, stdout, stderr: stderr + message, output: output + message });
    });
    child.on("close", (code, signal) => {
      const note = signal ? `pulumi was killed by ${signal}\n` : "";
      resolve({ code: code ?? 128, stdout, stderr: stderr + note, output: output + note });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.stdin ?? "");
  });
}

/** Config for createStack: plain values, or `{ secret }` for values set with --secret. */
export type StackConfig = Readonly<Record<string, string | { readonly secret: string }>>;

/**
 * Creates `stackName` with a passphrase secrets provider in `backendDir` and sets its config; throws with the
 * CLI's output if any step fails.
 */
export async function createStack(
  cwd: string,
  stackName: string,
  backendDir: string,
  config: StackConfig = {},
  options: Pick<PulumiRunOptions, "env" | "passphrase"> = {},
): Promise<void> {
  const run = async (args: string[], doing: string): Promise<void> => {
    const result = await runPulumi(args, { cwd, backendDir, ...options });
    if (result.code !== 0) {
      throw new Error(`${doing} in ${cwd} failed with exit code ${result.code}:\n${result.output}`);
    }
  };
  await run(["stack", "init", stackName, "--secrets-provider", "passphrase"], `creating stack ${stackName}`);
  for (const [key, value] of Object.entries(config)) {
    const secret = typeof value !== "string";
    await run(
      [
        "config",
        "set",
        "--stack",
        stackName,
        ...(secret ? ["--secret"] : []),
        "--",
        key,
        secret ? value.secret : value,
      ],
      `setting config ${key} on stack ${stackName}`,
    );
  }
}
