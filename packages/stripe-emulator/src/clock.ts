/**
 * The emulator's clock: wall time plus an offset that tests move forward. Delayed outcomes
 * (bank debit settlement, pending refunds, session expiry) are scheduled on this clock and run
 * only when it is advanced, so tests never wait on wall-clock sleeps.
 */
interface Task {
  due: number;
  seq: number;
  run: () => void;
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

  schedule(delaySeconds: number, run: () => void): void {
    this.tasks.push({ due: this.now() + delaySeconds, seq: this.seq++, run });
  }

  pendingTasks(): number {
    return this.tasks.length;
  }

  /** Moves time forward and runs every task that became due, in due order. */
  advance(seconds: number): number {
    this.offset += seconds;
    let ran = 0;
    for (;;) {
      const now = this.now();
      const due = this.tasks.filter((t) => t.due <= now).sort((a, b) => a.due - b.due || a.seq - b.seq);
      if (due.length === 0) return ran;
      const first = due[0] as Task;
      this.tasks.splice(this.tasks.indexOf(first), 1);
      first.run();
      ran++;
    }
  }

  clear(): void {
    this.tasks = [];
    this.offset = 0;
  }
}
