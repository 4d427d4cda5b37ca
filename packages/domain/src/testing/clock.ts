import type { Clock } from '../ports/clock.js';

/** Time stands still unless the test moves it. */
export class FixedClock implements Clock {
  #now: Date;

  constructor(now: Date = new Date('2026-11-26T12:00:00.000Z')) {
    this.#now = now;
  }

  now(): Date {
    return new Date(this.#now.getTime());
  }

  advance(ms: number): void {
    this.#now = new Date(this.#now.getTime() + ms);
  }

  set(now: Date): void {
    this.#now = now;
  }
}
