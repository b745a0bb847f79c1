// `npm run bench`: how `pulumi preview` and `pulumi up` scale with the number of Lync servers.
//
// For each fleet size N it starts the emulator (its own process) with one Front End pool of N
// servers, slows every server's Import-Module (a real Lync module takes seconds to load), deploys
// examples/mobility once, and then measures in one run:
//   - pulumi preview with the engine's defaults and no refresh (the old default),
//   - pulumi preview with the engine's defaults and the example's own Pulumi.yaml,
//   - pulumi preview with the settings the README recommends for large deployments (parallel
//     diffs, PULUMI_PARALLEL, no refresh: each diff reads its server live),
//   - OpenSSH reading every server at once (the floor) and one after another (the loop),
//   - pulumi up renewing every server after the clocks moved into the renewal window,
// with the remote sessions per server (counted in the emulator's audit log) and the provider
// process's peak RSS. Prints a table and writes results.json, results.md and results.svg.

import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../support/emulatorProcess";
import { ExampleStack, type PulumiResult } from "../support/exampleStack";
import { renderChart } from "./benchChart";
import { chartSeries, ratios, renderTable, WAYS, type RunResult, type WayId } from "./benchReport";
import { countCommands, startFleet, type Fleet } from "./fleet";
import { openSshReads, OPENSSH_READ_COMMAND } from "./openSshReads";
import { ProcessSampler } from "./processSampler";

const USAGE = `usage: npm run bench -- [--sizes 1,10,50,100,200] [--latency-ms 1500] [--parallel 256]
                        [--ways ${WAYS.map((w) => w.id).join(",")}]
                        [--sequential-up-to <N>] [--repeat <k>] [--out <dir>]
  --sizes             fleet sizes to measure (servers per run)
  --latency-ms        delay injected into every Import-Module (Set-EmulatorFault -Kind latency)
  --parallel          PULUMI_PARALLEL for the README's settings
  --ways              which ways to measure (default: all)
  --sequential-up-to  skip the two one-server-at-a-time ways above this N (they take N x latency)
  --repeat            measure the parallel ways k times, in turn, and keep the median (the one-at-a-time
                      ways too at fleets of 10 servers or fewer, where they are cheap); default 3
  --out               where results.json, results.md and results.svg go (default: bench/)`;

interface BenchOptions {
  readonly sizes: number[];
  readonly latencyMs: number;
  readonly parallel: number;
  readonly ways: WayId[];
  readonly sequentialUpTo: number;
  readonly repeat: number;
  readonly out: string;
}

/** Above this size the one-at-a-time ways (N x the latency each) are measured once, not --repeat times. */
const REPEAT_SEQUENTIAL_UP_TO = 10;

/** The ways that read one server after another: minutes at a hundred servers. */
const ONE_AT_A_TIME: readonly WayId[] = ["openssh-sequential", "preview-engine-defaults"];

/** The engine's own defaults: empty values make scripts/pulumi and the engine fall back to them. */
const ENGINE_DEFAULTS = { PULUMI_PARALLEL_DIFF: "", PULUMI_PARALLEL: "" };

function recommended(options: BenchOptions): Record<string, string> {
  return { PULUMI_PARALLEL_DIFF: "true", PULUMI_PARALLEL: String(options.parallel) };
}

function parseArguments(argv: readonly string[]): BenchOptions {
  let sizes = [1, 10, 50, 100, 200];
  let latencyMs = 1500;
  let parallel = 256;
  let ways = WAYS.map((w) => w.id);
  let sequentialUpTo = Infinity;
  let repeat = 3;
  let out = path.join(REPO_ROOT, "bench");
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes("=") ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    const positive = (v: string, name: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${name} takes whole numbers of 1 or more, got ${v}\n${USAGE}`);
      return n;
    };
    switch (flag) {
      case "--sizes":
        sizes = value()
          .split(",")
          .map((s) => positive(s.trim(), "--sizes"));
        break;
      case "--latency-ms": {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 0) throw new Error(`--latency-ms takes milliseconds (0 or more)\n${USAGE}`);
        latencyMs = v;
        break;
      }
      case "--parallel":
        parallel = positive(value(), "--parallel");
        break;
      case "--ways": {
        const list = value().split(",");
        const unknown = list.filter((w) => !WAYS.some((known) => known.id === w));
        if (unknown.length > 0) throw new Error(`unknown way(s) ${unknown.join(", ")}\n${USAGE}`);
        ways = list as WayId[];
        break;
      }
      case "--sequential-up-to":
        sequentialUpTo = positive(value(), "--sequential-up-to");
        break;
      case "--repeat":
        repeat = positive(value(), "--repeat");
        break;
      case "--out":
        out = path.resolve(value());
        break;
      case "--help":
      case "-h":
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument ${flag}\n${USAGE}`);
    }
  }
  return { sizes: [...new Set(sizes)].sort((a, b) => a - b), latencyMs, parallel, ways, sequentialUpTo, repeat, out };
}

/** What an interrupted bench must clean up: the emulator process and the temporary directory. */
const cleanups = new Set<() => Promise<void>>();

async function measureFleet(n: number, options: BenchOptions, runs: RunResult[]): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `lync-bench-${n}-`));
  const password = `bench-${randomBytes(8).toString("hex")}`;
  let fleet: Fleet | undefined;
  let stack: ExampleStack | undefined;
  const windows: { run: RunResult; from: number; to: number }[] = [];
  const log = (line: string) => console.log(`[${n} servers] ${line}`);
  try {
    log("starting the emulator");
    fleet = await startFleet(n, path.join(work, "fleet"), password);
    const started = fleet;
    const cleanup = async () => {
      await started.stop().catch(() => undefined);
      fs.rmSync(work, { recursive: true, force: true });
    };
    cleanups.add(cleanup);
    if (options.latencyMs > 0) {
      await fleet.onEveryServer(
        "injecting the Import-Module latency",
        `Set-EmulatorFault -Kind latency -Command Import-Module -Milliseconds ${options.latencyMs}`,
      );
    }
    stack = await ExampleStack.create({
      example: "mobility",
      stack: `bench-${n}-${randomBytes(3).toString("hex")}`,
      backendDir: path.join(work, "backend"),
      passphrase: "",
      config: fleet.stackConfig(),
      env: { PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    const running = { fleet, stack };

    const pulumi = async (
      way: RunResult["way"],
      args: readonly string[],
      env: Record<string, string>,
    ): Promise<PulumiResult> => {
      log(`${way}: pulumi ${args.join(" ")}`);
      const from = Date.now();
      const started = process.hrtime.bigint();
      const child = running.stack.run(args, env);
      // The CLI is the newest process this bench started; its tree holds the provider.
      const sampler = new ProcessSampler(newestChildPid(), running.fleet.emulator.pid);
      const result = await child;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const figures = sampler.stop();
      const run: RunResult = {
        n,
        way,
        seconds: Math.round(seconds * 100) / 100,
        exitCode: result.code,
        ...figures,
        ...(result.code !== 0 ? { error: result.output.slice(-2000) } : {}),
      };
      windows.push({ run, from, to: Date.now() });
      log(`${way}: ${run.seconds} s${result.code !== 0 ? `, FAILED (exit ${result.code}):\n${result.output.slice(-1500)}` : ""}`);
      return result;
    };
    const openSsh = async (way: WayId, parallel: boolean) => {
      log(`${way}: ${n} x ssh … '${OPENSSH_READ_COMMAND}'`);
      const from = Date.now();
      let run: RunResult;
      try {
        const seconds = await openSshReads(
          { servers: running.fleet.servers, user: "lyncadmin", identityFile: running.fleet.identityFile, knownHostsFile: running.fleet.knownHostsFile },
          parallel,
        );
        run = { n, way, seconds: Math.round(seconds * 100) / 100, exitCode: 0 };
      } catch (error) {
        run = { n, way, seconds: (Date.now() - from) / 1000, exitCode: 1, error: (error as Error).message };
      }
      windows.push({ run, from, to: Date.now() });
      log(`${way}: ${run.seconds} s${run.exitCode !== 0 ? `, FAILED: ${run.error}` : ""}`);
    };
    const wants = (way: WayId, round: number) =>
      options.ways.includes(way) &&
      !(ONE_AT_A_TIME.includes(way) && (n > options.sequentialUpTo || (n > REPEAT_SEQUENTIAL_UP_TO && round > 0)));

    // Setup: every server gets the mobility certificate, so the previews below find nothing to change.
    const created = await pulumi("up-create", ["up", "--yes", "--skip-preview", "--non-interactive"], recommended(options));
    if (created.code !== 0) throw new Error(`deploying examples/mobility to ${n} servers failed; see above`);

    // Round robin, so that a slow moment of a shared machine does not land on one way only; the
    // median of the rounds also discounts the first preview after the deployment, which runs cold.
    for (let round = 0; round < options.repeat; round++) {
      if (wants("openssh-parallel", round)) await openSsh("openssh-parallel", true);
      if (wants("preview-recommended", round))
        await pulumi(
          "preview-recommended",
          ["preview", "--non-interactive", "--expect-no-changes", "--refresh=false"],
          recommended(options),
        );
      if (wants("preview-example", round))
        await pulumi("preview-example", ["preview", "--non-interactive", "--expect-no-changes"], ENGINE_DEFAULTS);
      if (wants("preview-engine-defaults", round))
        await pulumi(
          "preview-engine-defaults",
          ["preview", "--non-interactive", "--expect-no-changes", "--refresh=false"],
          ENGINE_DEFAULTS,
        );
      if (wants("openssh-sequential", round)) await openSsh("openssh-sequential", false);
    }

    if (wants("up-renewal", 0)) {
      const days = await daysIntoRenewal(stack);
      log(`moving every server's clock ${days} days ahead, into the renewal window`);
      await fleet.onEveryServer("moving the clock", `Set-EmulatorTime -AddDays ${days}`);
      await pulumi("up-renewal", ["up", "--yes", "--non-interactive"], recommended(options));
    }

    log("reading the audit logs");
    const logs = await fleet.auditLogs().catch((error: Error) => {
      // The timings stand without the session counts.
      log(`reading the audit logs failed: ${error.message}`);
      return fleet!.servers.map(() => []);
    });
    const counted = windows.map(({ run, from, to }): RunResult => {
      const sessions = countCommands(logs, "Import-Module", { from, to });
      const requests = countCommands(logs, "Request-CsCertificate", { from, to });
      return {
        ...run,
        sessionsPerServer: {
          mean: Math.round((sessions.reduce((a, b) => a + b, 0) / n) * 100) / 100,
          max: Math.max(...sessions),
        },
        serversRequesting: requests.filter((c) => c > 0).length,
      };
    });
    runs.push(...mergeSamples(counted));
  } finally {
    await stack?.remove().catch(() => undefined);
    await fleet?.stop().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
    cleanups.clear();
  }
}

/** One result per way: the median time of its samples (all kept), the worst exit code, the largest figures. */
function mergeSamples(samples: readonly RunResult[]): RunResult[] {
  const byWay = new Map<RunResult["way"], RunResult[]>();
  for (const s of samples) byWay.set(s.way, [...(byWay.get(s.way) ?? []), s]);
  return [...byWay.values()].map((list) => {
    if (list.length === 1) return list[0];
    const sorted = [...list].sort((a, b) => a.seconds - b.seconds);
    const median = sorted[Math.floor((sorted.length - 1) / 2)];
    const most = (f: (r: RunResult) => number | undefined) => {
      const values = list.map(f).filter((v): v is number => v !== undefined);
      return values.length ? Math.max(...values) : undefined;
    };
    return {
      ...median,
      samples: list.map((r) => r.seconds),
      exitCode: Math.max(...list.map((r) => r.exitCode)),
      providerPeakRssMb: most((r) => r.providerPeakRssMb),
      sessionsPerServer: {
        mean: most((r) => r.sessionsPerServer?.mean) ?? 0,
        max: most((r) => r.sessionsPerServer?.max) ?? 0,
      },
      error: list.find((r) => r.error)?.error,
    };
  });
}

/** Days from now until every certificate's renewalTime has passed, plus two. */
async function daysIntoRenewal(stack: ExampleStack): Promise<number> {
  const outputs = (await stack.outputs()).certificates as Record<string, { renewalTime?: string }[]>;
  const times = Object.values(outputs).flatMap((entries) => entries.map((e) => Date.parse(e.renewalTime ?? "")));
  const latest = Math.max(...times.filter(Number.isFinite));
  if (!Number.isFinite(latest)) throw new Error(`the stack outputs carry no renewalTime: ${JSON.stringify(outputs)}`);
  return Math.ceil((latest - Date.now()) / 86_400_000) + 2;
}

/** The most recently started direct child of this process (the pulumi CLI just spawned). */
function newestChildPid(): number {
  let newest = { pid: process.pid, start: -1 };
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Field 4 is the parent pid, field 22 the start time: 2 and 19 after the command name.
    if (Number(fields[1]) === process.pid && Number(fields[19]) > newest.start) {
      newest = { pid: Number(entry), start: Number(fields[19]) };
    }
  }
  return newest.pid;
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    const help = process.argv.includes("--help") || process.argv.includes("-h");
    (help ? console.log : console.error)((error as Error).message);
    process.exit(help ? 0 : 2);
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`bench: ${signal}, stopping the emulator`);
      void Promise.all([...cleanups].map((c) => c())).then(() => process.exit(130));
    });
  }
  const runs: RunResult[] = [];
  const started = new Date();
  console.log(
    `Benchmark: fleets of ${options.sizes.join(", ")} servers, Import-Module slowed by ${options.latencyMs} ms, ${os.cpus().length} CPU(s); ratios are the result, seconds depend on the machine.`,
  );
  for (const n of options.sizes) {
    try {
      await measureFleet(n, options, runs);
    } catch (error) {
      console.error(`[${n} servers] ${(error as Error).message}`);
      runs.push({ n, way: "up-create", seconds: 0, exitCode: 1, error: (error as Error).message });
    }
    writeResults(options, runs, started);
  }
  const table = renderTable(runs, options.sizes);
  console.log(`\n${table}`);
  console.log(`Wrote ${path.join(options.out, "results.json")}, results.md and results.svg.`);
  if (runs.some((r) => r.exitCode !== 0)) process.exitCode = 1;
}

function writeResults(options: BenchOptions, runs: readonly RunResult[], started: Date): void {
  fs.mkdirSync(options.out, { recursive: true });
  const settings = {
    latencyMs: options.latencyMs,
    readmeSettings: { PULUMI_PARALLEL_DIFF: "true", PULUMI_PARALLEL: String(options.parallel), previewFlags: "--refresh=false" },
    engineDefaults: { PULUMI_PARALLEL_DIFF: "false", PULUMI_PARALLEL: `${os.cpus().length * 4} (4 x CPUs)` },
    example: "examples/mobility (Pulumi.yaml: options.refresh: always)",
    openSshCommand: OPENSSH_READ_COMMAND,
  };
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, platform: process.platform };
  const json = {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    settings,
    ways: WAYS,
    runs,
    ratios: ratios(runs, options.sizes),
  };
  fs.writeFileSync(path.join(options.out, "results.json"), `${JSON.stringify(json, null, 2)}\n`);
  const table = renderTable(runs, options.sizes);
  fs.writeFileSync(
    path.join(options.out, "results.md"),
    `# npm run bench\n\n${started.toISOString()}: ${machine.cpus} CPU(s), ${machine.node}, Import-Module slowed by ${options.latencyMs} ms; README settings PULUMI_PARALLEL_DIFF=true PULUMI_PARALLEL=${options.parallel}, previews with --refresh=false.\n\n${table}\n![time against servers](results.svg)\n`,
  );
  fs.writeFileSync(
    path.join(options.out, "results.svg"),
    renderChart(
      "pulumi preview and OpenSSH against the number of Lync servers",
      `Import-Module slowed by ${options.latencyMs} ms per session; ${machine.cpus} CPU(s); ${started.toISOString().slice(0, 16)}Z`,
      chartSeries(runs),
    ),
  );
}

if (require.main === module) void main();
