/** Runs the load generator as its own process and samples the memory of processes under test. */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './load.js';

const loadScript = fileURLToPath(new URL('./load.js', import.meta.url));

export function drive(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [loadScript, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim()) as LoadResult);
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Resident set size of a process in MB, from /proc; null when it is gone. */
export async function rssMb(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

/** Keeps the highest RSS seen of each named process while sampling runs. */
export class RssSampler {
  readonly peak = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly pids: () => ReadonlyMap<string, number | undefined>) {}

  async sample(): Promise<void> {
    for (const [name, pid] of this.pids()) {
      const mb = await rssMb(pid);
      if (mb !== null && mb > (this.peak.get(name) ?? 0)) this.peak.set(name, mb);
    }
  }

  start(everyMs = 250): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.sample(), everyMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** CPU seconds (user + system) a process has used so far; null when it is gone. */
export async function cpuSeconds(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by each PostgreSQL backend connected to `database` on this machine
 * (their process title is `postgres: … <user> <database> <client> <state>`), by process id.
 */
export async function backendsCpuSeconds(database: string): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let title: string;
    try {
      title = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (!title.startsWith('postgres: ') || !title.split(/\s+/).includes(database)) continue;
    const seconds = await cpuSeconds(Number(entry));
    if (seconds !== null) out.set(Number(entry), seconds);
  }
  return out;
}

/**
 * The CPU the backends used between two readings: those that started meanwhile count whole, and
 * those that exited meanwhile are missing (a pool closes idle connections), so this is a lower bound.
 */
export function backendsCpuBetween(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}
