/** Runs the load generator as its own process and samples the memory of processes under test. */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
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
