/**
 * The short chaos run: the production shape as separate processes on real PostgreSQL (a database
 * of its own, dropped afterwards), a seeded mix of operations under every kind of fault, then the
 * invariants checked against the emulator's records. Needs the apps built (`dist/`), as
 * `./scripts/test` does, and a PostgreSQL server (DATABASE_URL, else the local one).
 */
import { describe, expect, it } from 'vitest';
import { finalLine, runChaos } from '../src/chaos/run.js';

describe('chaos', () => {
  it(
    'loses, doubles and strands nothing under faults, kills and outages',
    async () => {
      const report = await runChaos({
        invoices: 60,
        seed: 20261203,
        minutes: 4,
        outageSeconds: 8,
        receiverDownSeconds: 20,
        killEverySeconds: [4, 10],
        quiesceTimeoutMs: 5 * 60_000,
        log: () => undefined,
      });
      const line = finalLine(report);
      expect(report.findings, line).toEqual([]);
      expect(report.operations).toBeGreaterThanOrEqual(200);
      expect(report.kills).toBeGreaterThan(0);
      expect(Object.keys(report.faults).length).toBeGreaterThanOrEqual(8);
      expect(line).toMatch(
        /double charges 0, overcharges 0, stuck 0, lost events 0, state mismatches 0, 5xx outside outages 0$/,
      );
    },
    14 * 60_000,
  );
});
