// Smoke tests of the real Pulumi engine that scripts/pulumi provides: the CLI built from Go modules, our Node.js
// language host, the dynamic-provider shim beside the binary, and the `command` provider plugin. They fail (never
// skip) when the engine cannot be built or is broken.

import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Server, utils, type Connection } from "ssh2";
import { generateParsableEd25519Key } from "lync-server-emulator/dist/emulatorState";
import {
  createStack,
  pulumiBinary,
  runPulumi,
  type PulumiRunResult,
  type StackConfig,
} from "../../scripts/support/pulumiCli";

const REPO_ROOT = path.dirname(path.dirname(pulumiBinary()));
const PROGRAMS = path.join(REPO_ROOT, "test", "fixtures", "programs");
const ENGINE_VERSION = "v3.248.0";
/** A cold Go build of the engine took 25 min on a busy 2-core machine; later runs find it cached. */
const ENGINE_BUILD_TIMEOUT_MS = 45 * 60_000;
/** One deployment step (ts-node compiles the program on every run). */
const STEP_TIMEOUT_MS = 3 * 60_000;

interface DeployedResource {
  readonly type: string;
  readonly urn: string;
  readonly outputs?: Record<string, unknown>;
}

/** A stack of one fixture program in its own temporary file backend. */
class FixtureStack {
  readonly backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-engine-test-"));
  readonly name = `smoke-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
  readonly cwd: string;

  constructor(program: string) {
    this.cwd = path.join(PROGRAMS, program);
  }

  async init(config: StackConfig = {}): Promise<this> {
    await createStack(this.cwd, this.name, this.backendDir, config);
    return this;
  }

  run(args: readonly string[]): Promise<PulumiRunResult> {
    return runPulumi([...args, "--stack", this.name, "--non-interactive"], {
      cwd: this.cwd,
      backendDir: this.backendDir,
    });
  }

  async expectSuccess(args: readonly string[]): Promise<PulumiRunResult> {
    const result = await this.run(args);
    assert.equal(result.code, 0, `pulumi ${args.join(" ")} in ${this.cwd} exited ${result.code}:\n${result.output}`);
    return result;
  }

  async outputs(): Promise<Record<string, unknown>> {
    const result = await this.expectSuccess(["stack", "output", "--json", "--show-secrets"]);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  async resources(): Promise<DeployedResource[]> {
    const result = await this.expectSuccess(["stack", "export"]);
    const state = JSON.parse(result.stdout) as { deployment: { resources?: DeployedResource[] } };
    return state.deployment.resources ?? [];
  }

  /** Removes the backend and the stack's config file, which the CLI writes next to the program. */
  dispose(): void {
    fs.rmSync(this.backendDir, { recursive: true, force: true });
    fs.rmSync(path.join(this.cwd, `Pulumi.${this.name}.yaml`), { force: true });
  }
}

describe("the pulumi engine (scripts/pulumi)", function () {
  this.timeout(STEP_TIMEOUT_MS * 6);

  let version: PulumiRunResult;

  before(async function () {
    this.timeout(ENGINE_BUILD_TIMEOUT_MS);
    const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-engine-version-"));
    try {
      // Builds the engine on first use; the build's progress goes to stderr.
      version = await runPulumi(["version"], { cwd: REPO_ROOT, backendDir });
    } finally {
      fs.rmSync(backendDir, { recursive: true, force: true });
    }
    assert.equal(version.code, 0, `scripts/pulumi version failed; the engine could not be built:\n${version.output}`);
  });

  it("prints the pinned version", () => {
    assert.equal(version.stdout.trim(), ENGINE_VERSION, version.output);
  });

  describe("a program with one dynamic resource", () => {
    let stack: FixtureStack;
    beforeEach(async () => (stack = await new FixtureStack("dynamic-resource").init()));
    afterEach(() => stack.dispose());

    it("creates, previews without changes, refreshes and destroys the resource", async () => {
      await stack.expectSuccess(["up", "--yes", "--skip-preview"]);
      const outputs = await stack.outputs();
      assert.equal(outputs.message, "hello lync", "create ran in the dynamic provider");
      assert.equal(outputs.greetingId, "greeting-lync");
      assert.equal(typeof outputs.providerPid, "number");
      assert.notEqual(outputs.providerPid, outputs.programPid, "the provider ran in the shim's own process");

      const dynamic = (await stack.resources()).filter((r) => r.type === "pulumi-nodejs:dynamic:Resource");
      assert.equal(dynamic.length, 1, "state holds the one dynamic resource");
      assert.equal(dynamic[0].outputs?.message, "hello lync");
      assert.equal(typeof dynamic[0].outputs?.__provider, "string", "state holds the serialized provider");

      await stack.expectSuccess(["preview", "--expect-no-changes"]);
      await stack.expectSuccess(["refresh", "--yes", "--skip-preview"]);
      const refreshed = (await stack.resources()).filter((r) => r.type === "pulumi-nodejs:dynamic:Resource");
      assert.equal(refreshed.length, 1, "refresh keeps the resource (read returned its id)");
      assert.equal(refreshed[0].outputs?.message, "hello lync");
      await stack.expectSuccess(["preview", "--expect-no-changes"]);

      await stack.expectSuccess(["destroy", "--yes", "--skip-preview"]);
      const left = (await stack.resources()).filter((r) => r.type !== "pulumi:pulumi:Stack");
      assert.deepEqual(left, [], "destroy leaves no resources");
    });

    it("fails preview --expect-no-changes when an input changes", async () => {
      await stack.expectSuccess(["up", "--yes", "--skip-preview"]);
      await stack.expectSuccess(["config", "set", "name", "skype"]);
      const preview = await stack.run(["preview", "--expect-no-changes"]);
      assert.notEqual(preview.code, 0, `preview should have reported the replacement:\n${preview.output}`);
      await stack.expectSuccess(["destroy", "--yes", "--skip-preview"]);
    });
  });

  describe("a program with a command.local.Command", () => {
    let stack: FixtureStack;
    beforeEach(async () => (stack = await new FixtureStack("local-command").init({ greeter: "the engine test" })));
    afterEach(() => stack.dispose());

    it("loads the command plugin and records the command's stdout", async () => {
      await stack.expectSuccess(["up", "--yes", "--skip-preview"]);
      assert.equal((await stack.outputs()).stdout, "hello from the engine test");
      const commands = (await stack.resources()).filter((r) => r.type === "command:local:Command");
      assert.equal(commands.length, 1, "state holds the command");
      const providers = (await stack.resources()).filter((r) => r.type === "pulumi:providers:command");
      assert.equal(providers[0]?.outputs?.version, "1.2.1", "the default provider is the npm package's version");
      await stack.expectSuccess(["preview", "--expect-no-changes"]);
      await stack.expectSuccess(["destroy", "--yes", "--skip-preview"]);
    });
  });

  describe("a program with a command.remote.Command", () => {
    let sshd: TestSshServer;
    let stack: FixtureStack;
    before(async () => (sshd = await TestSshServer.start()));
    after(() => sshd.close());
    beforeEach(() => sshd.execs.splice(0));
    afterEach(() => stack.dispose());

    it("runs create and delete over SSH after checking the host key", async () => {
      stack = await new FixtureStack("remote-command").init(sshd.config(sshd.hostKey));
      await stack.expectSuccess(["up", "--yes", "--skip-preview"]);
      assert.equal((await stack.outputs()).stdout, "hello from say hello");
      assert.deepEqual(
        sshd.execs.map((e) => e.command),
        ["say hello"],
      );
      assert.equal(sshd.execs[0].env.GREETING, "hello");
      await stack.expectSuccess(["preview", "--expect-no-changes"]);

      await stack.expectSuccess(["destroy", "--yes", "--skip-preview"]);
      assert.deepEqual(
        sshd.execs.map((e) => e.command),
        ["say hello", "say bye"],
      );
      assert.equal(sshd.execs[1].env.PULUMI_COMMAND_STDOUT, "hello from say hello", "delete sees the last stdout");
    });

    it("logs in with a password", async () => {
      stack = await new FixtureStack("remote-command").init(sshd.passwordConfig());
      await stack.expectSuccess(["up", "--yes", "--skip-preview"]);
      assert.equal((await stack.outputs()).stdout, "hello from say hello");
      await stack.expectSuccess(["destroy", "--yes", "--skip-preview"]);
      assert.deepEqual(
        sshd.execs.map((e) => e.command),
        ["say hello", "say bye"],
      );
    });

    it("refuses a host whose key differs from hostKey", async () => {
      const otherKey = generateParsableEd25519Key().public;
      stack = await new FixtureStack("remote-command").init(sshd.config(otherKey));
      const up = await stack.run(["up", "--yes", "--skip-preview"]);
      assert.notEqual(up.code, 0, `up should have failed on the host key:\n${up.output}`);
      // The refusal itself, not its wording: upstream's plugin says "ssh: handshake failed: ssh: host key mismatch".
      assert.deepEqual(sshd.execs, [], "nothing ran on the host");
      const exported = await stack.run(["stack", "export"]);
      assert.equal(exported.code, 0, exported.output);
      assert.doesNotMatch(exported.output, /command:remote:Command/, "no command was recorded as created");
    });
  });
});

describe("scripts/pulumi without a usable Go toolchain", () => {
  let cache: string;
  beforeEach(() => (cache = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-engine-cache-"))));
  afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

  /** PATH without any directory that holds a `go`, plus `extra` in front. */
  function pathWithoutGo(extra: string[] = []): string {
    const dirs = (process.env.PATH ?? "").split(path.delimiter).filter((dir) => !fs.existsSync(path.join(dir, "go")));
    return [...extra, ...dirs].join(path.delimiter);
  }

  function runScript(pathValue: string): Promise<PulumiRunResult> {
    return runPulumi(["version"], {
      cwd: REPO_ROOT,
      backendDir: path.join(cache, "backend"),
      env: { PATH: pathValue, XDG_CACHE_HOME: cache, PULUMI_LYNC_ENGINE_FORCE_BUILD: "1" },
    });
  }

  it("exits non-zero with one line naming the missing toolchain and the fix", async () => {
    const result = await runScript(pathWithoutGo());
    assert.equal(result.code, 1, result.output);
    assert.equal(result.stdout, "", "stdout stays the CLI's own");
    assert.match(
      result.stderr,
      /^scripts\/pulumi: cannot build pulumi v3\.248\.0: the Go toolchain is not on PATH; install Go/,
    );
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
  });

  it("reports a failed build and leaves no half-built engine behind", async () => {
    const fakeBin = path.join(cache, "fake-bin");
    fs.mkdirSync(fakeBin);
    fs.writeFileSync(path.join(fakeBin, "go"), "#!/bin/sh\necho 'go: simulated failure' >&2\nexit 1\n", {
      mode: 0o755,
    });
    const result = await runScript(pathWithoutGo([fakeBin]));
    assert.equal(result.code, 1, result.output);
    assert.match(result.stderr, /scripts\/pulumi: building pulumi v3\.248\.0 failed/);
    const engineCache = path.join(cache, "pulumi-lync-certificates", `engine-${ENGINE_VERSION}`);
    assert.deepEqual(
      fs.readdirSync(engineCache).filter((name) => name !== ".lock"),
      [],
      "no build directory is left",
    );
  });
});

interface Exec {
  readonly command: string;
  readonly env: Record<string, string>;
}

/** An SSH server on 127.0.0.1 that answers every exec with "<$GREETING> from <command>". */
class TestSshServer {
  static readonly password = "correct horse battery staple";
  readonly execs: Exec[] = [];
  private readonly host = generateParsableEd25519Key();
  private readonly client = generateParsableEd25519Key();
  private readonly server: Server;
  private port = 0;

  private constructor() {
    const allowed = utils.parseKey(this.client.public);
    if (allowed instanceof Error) throw allowed;
    this.server = new Server({ hostKeys: [this.host.private] }, (conn: Connection) => {
      conn.on("authentication", (ctx) => {
        if (ctx.method === "password") {
          return ctx.username === "lync" && ctx.password === TestSshServer.password ? ctx.accept() : ctx.reject();
        }
        const keyMatches =
          ctx.method === "publickey" &&
          ctx.username === "lync" &&
          ctx.key.algo === allowed.type &&
          ctx.key.data.equals(allowed.getPublicSSH());
        if (!keyMatches) return ctx.reject(["publickey", "password"]);
        if (ctx.signature && ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) {
          return ctx.reject(["publickey", "password"]);
        }
        ctx.accept();
      });
      conn.on("ready", () => {
        conn.on("session", (acceptSession) => {
          const session = acceptSession();
          const env: Record<string, string> = {};
          session.on("env", (accept, _reject, info) => {
            env[info.key] = info.val;
            accept?.();
          });
          session.on("exec", (accept, _reject, info) => {
            const stream = accept();
            this.execs.push({ command: info.command, env: { ...env } });
            stream.write(`${env.GREETING ?? "?"} from ${info.command}\n`);
            stream.exit(0);
            stream.end();
          });
        });
      });
      conn.on("error", () => undefined);
    });
  }

  static async start(): Promise<TestSshServer> {
    const sshd = new TestSshServer();
    await new Promise<void>((resolve) => sshd.server.listen(0, "127.0.0.1", resolve));
    sshd.port = (sshd.server.address() as { port: number }).port;
    return sshd;
  }

  get hostKey(): string {
    return this.host.public;
  }

  /** Stack config for the remote-command program, trusting `hostKey`. */
  config(hostKey: string): StackConfig {
    return {
      port: String(this.port),
      user: "lync",
      privateKey: { secret: this.client.private },
      hostKey,
    };
  }

  /** Stack config for the remote-command program, logging in with the password instead of the key. */
  passwordConfig(): StackConfig {
    return {
      port: String(this.port),
      user: "lync",
      password: { secret: TestSshServer.password },
      hostKey: this.hostKey,
    };
  }

  close(): void {
    this.server.close();
  }
}
