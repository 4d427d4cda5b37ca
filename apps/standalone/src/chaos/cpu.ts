/**
 * Where the run's CPU went: each process's user + system time, read from /proc every few seconds
 * and summed per role (a killed process keeps what it used up to the last reading), plus the
 * driver itself and the machine as a whole. Linux only; elsewhere the figures stay empty.
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

function processTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state; utime and stime are
    // the 12th and 13th of them.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...values] = line.trim().split(/\s+/);
    const n = values.map(Number);
    const total = n.reduce((a, b) => a + b, 0);
    const idle = (n[3] ?? 0) + (n[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export interface CpuSource {
  readonly name: string;
  pid(): number | undefined;
}

export class CpuMeter {
  readonly #sources: () => readonly CpuSource[];
  /** Last reading per pid, and the ticks already counted per role. */
  readonly #last = new Map<number, number>();
  readonly #byRole = new Map<string, number>();
  readonly #driverStart = process.cpuUsage();
  readonly #machineStart = machineTicks();
  #timer: NodeJS.Timeout | undefined;

  constructor(sources: () => readonly CpuSource[]) {
    this.#sources = sources;
  }

  start(everyMs = 2_000): void {
    this.#timer = setInterval(() => this.sample(), everyMs);
    this.#timer.unref();
  }

  sample(): void {
    for (const source of this.#sources()) {
      const pid = source.pid();
      if (pid === undefined) continue;
      const ticks = processTicks(pid);
      if (ticks === undefined) continue;
      const role = source.name.replace(/-\d+$/, '');
      const before = this.#last.get(pid) ?? 0;
      this.#byRole.set(role, (this.#byRole.get(role) ?? 0) + Math.max(0, ticks - before));
      this.#last.set(pid, ticks);
    }
  }

  /** Seconds of CPU per role, the driver's, and the machine's busy share over the run. */
  stop(): {
    readonly seconds: Record<string, number>;
    readonly milliseconds: Record<string, number>;
    readonly machineBusy: number | undefined;
  } {
    if (this.#timer) clearInterval(this.#timer);
    this.sample();
    const seconds: Record<string, number> = {};
    const milliseconds: Record<string, number> = {};
    for (const [role, ticks] of this.#byRole) {
      seconds[role] = Math.round(ticks / TICKS_PER_SECOND);
      milliseconds[role] = Math.round((ticks * 1000) / TICKS_PER_SECOND);
    }
    const driver = process.cpuUsage(this.#driverStart);
    seconds.driver = Math.round((driver.user + driver.system) / 1e6);
    milliseconds.driver = Math.round((driver.user + driver.system) / 1e3);
    const end = machineTicks();
    const start = this.#machineStart;
    const machineBusy =
      start && end && end.total > start.total
        ? (end.busy - start.busy) / (end.total - start.total)
        : undefined;
    return { seconds, milliseconds, machineBusy };
  }
}
