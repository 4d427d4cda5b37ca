/**
 * Keeps the emulator state in one JSON file so a restarted emulator is the same Stripe account:
 * loaded once at start, saved atomically (temp file + rename) a moment after changes and on stop.
 * Requests only bump a revision counter; serialisation happens on an unref'd timer, at most once
 * per interval, never per request.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Emulator } from '../emulator.js';
import { IncompatibleStateError, restoreSnapshot, takeSnapshot } from './snapshot.js';

export const STATE_SAVE_INTERVAL_MS = 1000;

export type LoadResult =
  | { status: 'missing' }
  | { status: 'loaded'; accounts: number }
  | { status: 'moved_aside'; reason: string; movedTo: string };

export class StateFile {
  private savedRevision: number;
  private timer: NodeJS.Timeout | null = null;
  private saving: Promise<void> | null = null;
  private stopped = true;
  /** How long the last save held the event loop (snapshot + stringify). */
  private lastBlockedMs = 0;

  constructor(
    readonly path: string,
    private readonly emu: Emulator,
  ) {
    this.savedRevision = emu.revision;
  }

  /** Loads the file if there is one. A file that cannot be read as state is moved aside, not fatal. */
  async load(): Promise<LoadResult> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
      throw new Error(`stripe-emulator: cannot read state file ${this.path}: ${(err as Error).message}`);
    }
    try {
      restoreSnapshot(this.emu, JSON.parse(text));
    } catch (err) {
      if (!(err instanceof SyntaxError || err instanceof IncompatibleStateError)) throw err;
      const movedTo = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(this.path, movedTo);
      const reason = err.message;
      console.error(
        `[stripe-emulator] state file ${this.path} is unusable (${reason}); moved it to ${movedTo} and started empty`,
      );
      this.emu.reset();
      this.savedRevision = this.emu.revision;
      return { status: 'moved_aside', reason, movedTo };
    }
    this.savedRevision = this.emu.revision;
    return { status: 'loaded', accounts: this.emu.accountsById.size };
  }

  /**
   * Starts saving changes every `intervalMs`, or less often when saves get slow: the next check
   * waits at least four times as long as the last save blocked the event loop, so saving never
   * takes more than a fifth of the emulator's time. The timer never keeps the process alive.
   */
  start(intervalMs = STATE_SAVE_INTERVAL_MS): void {
    this.stopped = false;
    const tick = () => {
      this.flush()
        .catch((err: unknown) =>
          console.error(`[stripe-emulator] saving state to ${this.path} failed:`, (err as Error).message),
        )
        .finally(() => {
          if (this.stopped) return;
          this.timer = setTimeout(tick, Math.max(intervalMs, 4 * this.lastBlockedMs));
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, intervalMs);
    this.timer.unref();
  }

  /** Saves if anything changed since the last save; concurrent calls share one write. */
  async flush(): Promise<void> {
    while (this.saving) await this.saving;
    if (this.emu.revision === this.savedRevision) return;
    this.saving = this.write().finally(() => {
      this.saving = null;
    });
    await this.saving;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async write(): Promise<void> {
    const revision = this.emu.revision;
    // One synchronous pass, so the file is a consistent picture of one moment.
    const started = performance.now();
    const text = JSON.stringify(takeSnapshot(this.emu));
    this.lastBlockedMs = performance.now() - started;
    const temp = `${this.path}.tmp-${process.pid}`;
    await mkdir(dirname(this.path), { recursive: true });
    // Webhook signing secrets are in the file: readable by its owner only.
    await writeFile(temp, text, { mode: 0o600 });
    await rename(temp, this.path);
    this.savedRevision = revision;
  }
}
