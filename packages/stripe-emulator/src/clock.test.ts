import { describe, expect, it } from 'vitest';
import { Clock } from './clock.js';

describe('Clock', () => {
  it('runs tasks only once they are due, in due order', () => {
    const clock = new Clock();
    const ran: string[] = [];
    clock.schedule(180, () => ran.push('late'));
    clock.schedule(60, () => ran.push('early'));
    clock.schedule(60, () => ran.push('early-second'));
    expect(clock.runDue()).toBe(0);
    expect(clock.advance(59)).toBe(0);
    expect(clock.advance(1)).toBe(2);
    expect(ran).toEqual(['early', 'early-second']);
    expect(clock.advance(120)).toBe(1);
    expect(ran).toEqual(['early', 'early-second', 'late']);
    expect(clock.pendingTasks()).toBe(0);
  });

  it('runs tasks scheduled by tasks when they are already due', () => {
    const clock = new Clock();
    const ran: string[] = [];
    clock.schedule(10, () => {
      ran.push('first');
      clock.schedule(0, () => ran.push('follow-up'));
      clock.schedule(100, () => ran.push('much later'));
    });
    expect(clock.advance(10)).toBe(2);
    expect(ran).toEqual(['first', 'follow-up']);
    expect(clock.pendingTasks()).toBe(1);
  });

  it('moves now by the offset and clears back to wall time', () => {
    const clock = new Clock();
    const before = clock.now();
    clock.advance(3600);
    expect(clock.now()).toBeGreaterThanOrEqual(before + 3600);
    expect(clock.offsetSeconds()).toBe(3600);
    clock.schedule(5, () => undefined);
    clock.clear();
    expect(clock.offsetSeconds()).toBe(0);
    expect(clock.pendingTasks()).toBe(0);
  });
});
