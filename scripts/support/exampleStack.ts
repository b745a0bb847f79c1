// A stack of one of examples/ driven by the real pulumi CLI in a local file backend, the way a user
// runs it: the program is the example's own directory, its config set with `pulumi config set`.

import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./emulatorProcess";
import { runPulumi } from "./pulumiCli";

export interface PulumiResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as printed. */
  readonly output: string;
}

/** A config value; `secret` ones are set with --secret and stored encrypted. */
export type ConfigValue = string | { readonly secret: string };

export interface ExampleStackOptions {
  /** The folder name under examples/, e.g. "mobility". */
  readonly example: string;
  /** Unique per run: the stack's config file lands in the example's folder as Pulumi.<stack>.yaml. */
  readonly stack: string;
  /** The file backend's directory (pulumi login file://<dir>). */
  readonly backendDir: string;
  /** The passphrase of the stack's secrets provider. */
  readonly passphrase: string;
  readonly config: Readonly<Record<string, ConfigValue>>;
  /** Extra environment for every pulumi run. */
  readonly env?: Readonly<Record<string, string>>;
}

export class ExampleStack {
  readonly cwd: string;

  private constructor(private readonly options: ExampleStackOptions) {
    this.cwd = path.join(REPO_ROOT, "examples", options.example);
  }

  /** `pulumi stack init` and `pulumi config set` for every value. */
  static async create(options: ExampleStackOptions): Promise<ExampleStack> {
    const stack = new ExampleStack(options);
    fs.mkdirSync(options.backendDir, { recursive: true });
    await stack.expectSuccess(["stack", "init", "--secrets-provider", "passphrase"], "creating the stack");
    for (const [key, value] of Object.entries(options.config)) {
      await stack.setConfig(key, value);
    }
    return stack;
  }

  get name(): string {
    return this.options.stack;
  }

  /** The stack's config file in the example folder (removed by remove()). */
  get configFile(): string {
    return path.join(this.cwd, `Pulumi.${this.options.stack}.yaml`);
  }

  async setConfig(key: string, value: ConfigValue): Promise<void> {
    const secret = typeof value !== "string";
    const args = ["config", "set", ...(secret ? ["--secret"] : []), "--", key, secret ? value.secret : value];
    await this.expectSuccess(args, `setting config ${key}`);
  }

  /** Runs `pulumi <args> --stack <stack>` in the example's folder. */
  run(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<PulumiResult> {
    // Flags after a "--" would be taken as positional arguments.
    const end = args.indexOf("--");
    const withStack =
      end < 0
        ? [...args, "--stack", this.options.stack]
        : [...args.slice(0, end), "--stack", this.options.stack, ...args.slice(end)];
    return runPulumi(withStack, {
      cwd: this.cwd,
      backendDir: this.options.backendDir,
      passphrase: this.options.passphrase,
      env: { ...this.options.env, ...env },
    });
  }

  /** Runs and throws, with the whole output, unless the exit code is 0. */
  async expectSuccess(args: readonly string[], doing: string): Promise<PulumiResult> {
    const result = await this.run(args);
    if (result.code !== 0) {
      throw new Error(`${doing} (pulumi ${args.join(" ")}) failed with exit code ${result.code}:\n${result.output}`);
    }
    return result;
  }

  up(): Promise<PulumiResult> {
    return this.expectSuccess(["up", "--yes", "--skip-preview", "--non-interactive"], "pulumi up");
  }

  preview(extra: readonly string[] = []): Promise<PulumiResult> {
    return this.run(["preview", "--non-interactive", ...extra]);
  }

  refresh(): Promise<PulumiResult> {
    return this.expectSuccess(["refresh", "--yes", "--skip-preview", "--non-interactive"], "pulumi refresh");
  }

  destroy(): Promise<PulumiResult> {
    return this.expectSuccess(["destroy", "--yes", "--skip-preview", "--non-interactive"], "pulumi destroy");
  }

  /** The stack's outputs, secrets in plaintext (for assertions only). */
  async outputs(): Promise<Record<string, unknown>> {
    const result = await this.expectSuccess(["stack", "output", "--json", "--show-secrets"], "reading outputs");
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  /** The deployment as `pulumi stack export` writes it (secrets stay encrypted). */
  async exportState(): Promise<{ deployment: { resources?: { type: string; urn: string; outputs?: unknown }[] } }> {
    const result = await this.expectSuccess(["stack", "export"], "exporting the stack");
    return JSON.parse(result.stdout) as { deployment: { resources?: { type: string; urn: string }[] } };
  }

  /** `pulumi stack rm --force` and the config file; safe to call twice. */
  async remove(): Promise<void> {
    await this.run(["stack", "rm", "--yes", "--force"]);
    fs.rmSync(this.configFile, { force: true });
  }
}
