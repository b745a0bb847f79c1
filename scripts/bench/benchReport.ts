// What the benchmark reports: the measured runs, the ratios the targets are stated in, a table for
// the terminal and for results.md, and the chart's series. Ratios within one run are the result;
// absolute seconds depend on the machine and on whoever else is using it.

import type { ChartSeries } from "./benchChart";

export type WayId =
  | "preview-engine-defaults"
  | "preview-example"
  | "preview-recommended"
  | "openssh-parallel"
  | "openssh-sequential"
  | "up-renewal";

export const WAYS: readonly { readonly id: WayId; readonly label: string }[] = [
  { id: "preview-engine-defaults", label: "pulumi preview, engine defaults, no refresh (the old default)" },
  { id: "preview-example", label: "pulumi preview, engine defaults, the example's Pulumi.yaml (refresh: always)" },
  { id: "preview-recommended", label: "pulumi preview, the README's settings (parallel diff, PULUMI_PARALLEL, --refresh=false)" },
  { id: "openssh-parallel", label: "OpenSSH reads, every server at once (the floor)" },
  { id: "openssh-sequential", label: "OpenSSH reads, one server after another (the loop)" },
  { id: "up-renewal", label: "pulumi up renewing every server, parallel diff and PULUMI_PARALLEL (refresh: always)" },
];

export interface RunResult {
  readonly n: number;
  readonly way: WayId | "up-create";
  /** The median of the samples when the way was measured more than once (see --repeat). */
  readonly seconds: number;
  /** Every measurement, when there were several. */
  readonly samples?: readonly number[];
  /** Exit code of pulumi or ssh; 0 when the run did what it should. */
  readonly exitCode: number;
  /** Remote PowerShell sessions (Import-Module entries in the audit log) per server: mean and max. */
  readonly sessionsPerServer?: { readonly mean: number; readonly max: number };
  /** Servers on which the CA was asked for a certificate during the run. */
  readonly serversRequesting?: number;
  readonly providerPeakRssMb?: number;
  readonly providerCpuSeconds?: number;
  readonly emulatorCpuSeconds?: number;
  /** The end of the output when the run failed. */
  readonly error?: string;
}

export interface Ratios {
  readonly n: number;
  /** sequential OpenSSH loop / README settings (target ≥ 20 at 100 servers). */
  readonly loopOverRecommended?: number;
  /** sequential OpenSSH loop / engine defaults with the example's Pulumi.yaml (target ≥ 5). */
  readonly loopOverExample?: number;
  /** README settings / (parallel OpenSSH floor + the engine's constant) (target ≤ 1.2). */
  readonly recommendedOverFloorPlusConstant?: number;
  /** The old default / README settings. */
  readonly oldDefaultOverRecommended?: number;
}

function secondsOf(runs: readonly RunResult[], n: number, way: RunResult["way"]): number | undefined {
  const run = runs.find((r) => r.n === n && r.way === way && r.exitCode === 0);
  return run?.seconds;
}

/**
 * The engine's constant: one server's preview minus one server's read (starting the engine, the
 * program and the provider). Undefined unless N = 1 was measured.
 */
function engineConstant(runs: readonly RunResult[]): number | undefined {
  const preview = secondsOf(runs, 1, "preview-recommended");
  const read = secondsOf(runs, 1, "openssh-parallel");
  return preview !== undefined && read !== undefined ? Math.max(0, preview - read) : undefined;
}

export function ratios(runs: readonly RunResult[], sizes: readonly number[]): Ratios[] {
  const constant = engineConstant(runs);
  const div = (a?: number, b?: number) => (a !== undefined && b !== undefined && b > 0 ? round2(a / b) : undefined);
  return sizes.map((n) => {
    const loop = secondsOf(runs, n, "openssh-sequential");
    const floor = secondsOf(runs, n, "openssh-parallel");
    const recommended = secondsOf(runs, n, "preview-recommended");
    return {
      n,
      loopOverRecommended: div(loop, recommended),
      loopOverExample: div(loop, secondsOf(runs, n, "preview-example")),
      recommendedOverFloorPlusConstant:
        floor !== undefined && constant !== undefined ? div(recommended, floor + constant) : undefined,
      oldDefaultOverRecommended: div(secondsOf(runs, n, "preview-engine-defaults"), recommended),
    };
  });
}

/** A Markdown table: one row per way and N, then the ratios. */
export function renderTable(runs: readonly RunResult[], sizes: readonly number[]): string {
  const lines: string[] = [];
  lines.push(
    "| servers | way | seconds | sessions/server (mean, max) | provider peak RSS MiB | provider CPU s | emulator CPU s | result |",
    "|---:|---|---:|---|---:|---:|---:|---|",
  );
  const labelOf = (way: RunResult["way"]) =>
    way === "up-create" ? "pulumi up creating every assignment (setup)" : WAYS.find((w) => w.id === way)!.label;
  for (const run of [...runs].sort((a, b) => a.n - b.n)) {
    const sessions = run.sessionsPerServer ? `${run.sessionsPerServer.mean}, ${run.sessionsPerServer.max}` : "";
    const seconds = run.samples ? `${run.seconds.toFixed(1)} (median of ${run.samples.map((x) => x.toFixed(1)).join(", ")})` : run.seconds.toFixed(1);
    lines.push(
      `| ${run.n} | ${labelOf(run.way)} | ${seconds} | ${sessions} | ${run.providerPeakRssMb ?? ""} | ${run.providerCpuSeconds ?? ""} | ${run.emulatorCpuSeconds ?? ""} | ${run.exitCode === 0 ? "ok" : `failed (${run.exitCode})`} |`,
    );
  }
  const constant = engineConstant(runs);
  lines.push(
    "",
    `Engine constant (one server's preview with the README's settings minus one OpenSSH read): ${constant === undefined ? "not measured (needs N = 1)" : `${constant.toFixed(1)} s`}`,
    "",
    "| servers | loop / README settings (≥ 20) | loop / example defaults (≥ 5) | README settings / (floor + constant) (≤ 1.2) | old default / README settings |",
    "|---:|---:|---:|---:|---:|",
  );
  for (const r of ratios(runs, sizes)) {
    const f = (v?: number) => (v === undefined ? "" : v.toFixed(2));
    lines.push(
      `| ${r.n} | ${f(r.loopOverRecommended)} | ${f(r.loopOverExample)} | ${f(r.recommendedOverFloorPlusConstant)} | ${f(r.oldDefaultOverRecommended)} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export function chartSeries(runs: readonly RunResult[]): ChartSeries[] {
  return WAYS.map((way) => ({
    label: way.label,
    points: runs.filter((r) => r.way === way.id && r.exitCode === 0).map((r) => ({ n: r.n, seconds: r.seconds })),
  })).filter((s) => s.points.length > 0);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
