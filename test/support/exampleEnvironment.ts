// One example's end-to-end environment: a fresh emulator process (sample topology, its own state),
// a stack of the example in a temporary file backend, and an admin reaching the servers over SSH.

import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  REPO_ROOT,
  startEmulatorProcess,
  type EmulatorProcess,
  type EmulatorProcessUser,
} from "../../scripts/support/emulatorProcess";
import { ExampleStack, type ConfigValue } from "../../scripts/support/exampleStack";
import { LyncAdmin } from "../../scripts/support/lyncAdmin";

const EMULATOR_USER = "lyncadmin";

export interface ExampleEnvironment {
  readonly work: string;
  readonly backendDir: string;
  readonly emulator: EmulatorProcess;
  readonly stack: ExampleStack;
  readonly admin: LyncAdmin;
  /** The emulator user's password: a canary, unique to this environment. */
  readonly password: string;
  /** The stack's secrets passphrase: a canary too. */
  readonly passphrase: string;
  /** Destroys the stack if it still holds resources, removes it, stops the emulator, deletes the temp dir. */
  dispose(): Promise<void>;
}

export interface ExampleEnvironmentOptions {
  /** More emulator accounts besides the admin login (e.g. a CA account). */
  readonly extraUsers?: readonly EmulatorProcessUser[];
  /** @default the sample topology */
  readonly topology?: string;
}

export async function startExampleEnvironment(
  example: string,
  config: (emulator: EmulatorProcess, credentials: { user: string; password: string }) => Record<string, ConfigValue>,
  options: ExampleEnvironmentOptions = {},
): Promise<ExampleEnvironment> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `lync-e2e-${example}-`));
  const password = `canary-pw-${randomBytes(12).toString("hex")}`;
  const passphrase = `canary-pp-${randomBytes(12).toString("hex")}`;
  const backendDir = path.join(work, "backend");
  const stackName = `e2e-${example}-${randomBytes(4).toString("hex")}`;
  let emulator: EmulatorProcess | undefined;
  try {
    emulator = await startEmulatorProcess({
      users: [{ name: EMULATOR_USER, password }, ...(options.extraUsers ?? [])],
      stateDir: path.join(work, "emulator"),
      topology: options.topology,
    });
    const credentials = { user: EMULATOR_USER, password };
    const stack = await ExampleStack.create({
      example,
      stack: stackName,
      backendDir,
      passphrase,
      config: config(emulator, credentials),
    });
    const running = emulator;
    return {
      work,
      backendDir,
      emulator: running,
      stack,
      admin: new LyncAdmin(credentials),
      password,
      passphrase,
      async dispose() {
        await stack.run(["destroy", "--yes", "--skip-preview", "--non-interactive"]).catch(() => undefined);
        await stack.remove().catch(() => undefined);
        await running.stop();
        fs.rmSync(work, { recursive: true, force: true });
      },
    };
  } catch (error) {
    // A failed `pulumi config set` leaves the stack's config file in the example's folder.
    fs.rmSync(path.join(REPO_ROOT, "examples", example, `Pulumi.${stackName}.yaml`), { force: true });
    await emulator?.stop();
    fs.rmSync(work, { recursive: true, force: true });
    throw error;
  }
}
