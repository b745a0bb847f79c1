// Watches the process tree under one pid (a `pulumi` run) for the dynamic provider's node process and
// records its peak resident set (VmHWM, which the kernel keeps as a high-water mark) and CPU time,
// and the CPU time of another process (the emulator) over the same window. Linux /proc only; on
// other systems the figures are left out rather than guessed.

import * as fs from "node:fs";

const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcessFigures {
  /** The provider process's peak RSS in MiB, if one was seen. */
  readonly providerPeakRssMb?: number;
  /** CPU seconds (user + system) the provider process used, as last sampled. */
  readonly providerCpuSeconds?: number;
  /** CPU seconds the watched other process (the emulator) used during the window. */
  readonly emulatorCpuSeconds?: number;
}

export class ProcessSampler {
  private readonly providers = new Map<number, { hwmKb: number; cpuTicks: number }>();
  private readonly timer: NodeJS.Timeout;
  private readonly emulatorStart: number | undefined;

  constructor(
    private readonly rootPid: number,
    private readonly emulatorPid: number,
    intervalMs = 100,
  ) {
    this.emulatorStart = cpuTicks(emulatorPid);
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): ProcessFigures {
    clearInterval(this.timer);
    this.sample();
    const emulatorEnd = cpuTicks(this.emulatorPid);
    const all = [...this.providers.values()];
    return {
      providerPeakRssMb: all.length ? round(Math.max(...all.map((p) => p.hwmKb)) / 1024) : undefined,
      providerCpuSeconds: all.length ? round(all.reduce((s, p) => s + p.cpuTicks, 0) / CLOCK_TICKS_PER_SECOND) : undefined,
      emulatorCpuSeconds:
        this.emulatorStart !== undefined && emulatorEnd !== undefined
          ? round((emulatorEnd - this.emulatorStart) / CLOCK_TICKS_PER_SECOND)
          : undefined,
    };
  }

  private sample(): void {
    for (const pid of descendants(this.rootPid)) {
      const known = this.providers.get(pid);
      if (!known && !isDynamicProvider(pid)) continue;
      const hwm = peakRssKb(pid);
      const ticks = cpuTicks(pid);
      if (hwm === undefined || ticks === undefined) continue;
      this.providers.set(pid, {
        hwmKb: Math.max(hwm, known?.hwmKb ?? 0),
        cpuTicks: Math.max(ticks, known?.cpuTicks ?? 0),
      });
    }
  }
}

/** `@pulumi/pulumi/cmd/dynamic-provider`, started by the pulumi-resource-pulumi-nodejs shim. */
function isDynamicProvider(pid: number): boolean {
  const cmdline = read(`/proc/${pid}/cmdline`);
  return cmdline !== undefined && /dynamic-provider/.test(cmdline) && /node/.test(cmdline);
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (!stat) continue;
    // The command name is in parentheses and may hold spaces: the fields after the last ")" are fixed.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function peakRssKb(pid: number): number | undefined {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(read(`/proc/${pid}/status`) ?? "");
  return match ? Number(match[1]) : undefined;
}

function cpuTicks(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command name.
  return Number(fields[11]) + Number(fields[12]);
}

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
