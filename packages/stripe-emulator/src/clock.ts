/**
 * The emulator's clock: wall time plus an offset that tests move forward. Delayed outcomes
 * (bank debit settlement, pending refunds, session expiry) are scheduled on this clock and run
 * only when it is advanced, so tests never wait on wall-clock sleeps.
 */
import type { PendingTask, ScheduledTask } from './scheduled-task.js';

interface Task {
  due: number;
  seq: number;
  run: () => void;
  /** Absent for ad-hoc closures (tests); those are not saved to a state file. */
  task?: ScheduledTask;
}

export class Clock {
  private offset = 0;
  private tasks: Task[] = [];
  private seq = 0;

  now(): number {
    return Math.floor(Date.now() / 1000) + this.offset;
  }

  offsetSeconds(): number {
    return this.offset;
  }

  schedule(delaySeconds: number, run: () => void, task?: ScheduledTask): void {
    const entry: Task = { due: this.now() + delaySeconds, seq: this.seq++, run };
    if (task) entry.task = task;
    this.tasks.push(entry);
  }

  /** The described pending tasks in the order they would run. */
  pending(): PendingTask[] {
    return this.tasks
      .filter((t) => t.task !== undefined)
      .sort((a, b) => a.due - b.due || a.seq - b.seq)
      .map((t) => ({ due: t.due, task: t.task as ScheduledTask }));
  }

  /** Replaces offset and tasks with saved ones; `runner` turns each description back into work. */
  restore(offsetSeconds: number, pending: PendingTask[], runner: (task: ScheduledTask) => () => void): void {
    this.offset = offsetSeconds;
    this.tasks = pending.map((p) => ({ due: p.due, seq: this.seq++, run: runner(p.task), task: p.task }));
  }

  pendingTasks(): number {
    return this.tasks.length;
  }

  /** Moves time forward and runs every task that became due, in due order. */
  advance(seconds: number): number {
    this.offset += seconds;
    return this.runDue();
  }

  /** Runs the tasks already due; tasks they schedule run too if they are due as well. */
  runDue(): number {
    let ran = 0;
    for (;;) {
      const now = this.now();
      const due: Task[] = [];
      const later: Task[] = [];
      for (const t of this.tasks) (t.due <= now ? due : later).push(t);
      if (due.length === 0) return ran;
      this.tasks = later;
      due.sort((a, b) => a.due - b.due || a.seq - b.seq);
      for (const t of due) {
        t.run();
        ran++;
      }
    }
  }

  clear(): void {
    this.tasks = [];
    this.offset = 0;
  }
}
