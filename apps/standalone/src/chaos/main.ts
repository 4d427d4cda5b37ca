/**
 * `pnpm chaos [--invoices N] [--seed S] [--minutes M] [--concurrency C] [--profile DIR]`: the production shape under seeded faults;
 * prints one final line of figures and exits non-zero when any invariant was broken.
 */
import { parseArgs } from 'node:util';
import { failed, finalLine, runChaos } from './run.js';

const { values } = parseArgs({
  options: {
    invoices: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    minutes: { type: 'string', default: '15' },
    concurrency: { type: 'string', default: '16' },
    profile: { type: 'string' },
    'keep-database': { type: 'boolean', default: false },
  },
  strict: true,
});
const whole = (name: string, raw: string | undefined, min: number) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be a whole number of at least ${min}, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
};
// Exit handlers (which stop the child processes) run on Ctrl-C too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
const report = await runChaos({
  invoices: whole('invoices', values.invoices, 1),
  seed: whole('seed', values.seed, 0),
  minutes: whole('minutes', values.minutes, 1),
  concurrency: whole('concurrency', values.concurrency, 1),
  keepDatabase: values['keep-database'] === true,
  ...(values.profile === undefined ? {} : { profileDir: values.profile }),
});
for (const finding of report.findings.slice(0, 200)) console.log(`  ${finding}`);
if (report.findings.length > 200) console.log(`  ... and ${report.findings.length - 200} more`);
console.log(
  `chaos: ${report.operations} API calls (${report.operationErrors} refused or failed, as expected under faults; ${report.stripeUnavailable} answered 503 provider_unavailable during Stripe faults), ` +
    `${report.crashes} processes died on their own; driving ${Math.round(report.driveMs / 1000)} s, ` +
    `quiescing ${Math.round(report.quiesceMs / 1000)} s, total ${Math.round(report.durationMs / 1000)} s; logs in ${report.logDir}`,
);
const cpuFigures = Object.entries(report.cpu.seconds)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([role, seconds]) => `${role} ${seconds} s`)
  .join(', ');
const busy =
  report.cpu.machineBusy === undefined ? '' : `; machine busy ${Math.round(report.cpu.machineBusy * 100)}%`;
console.log(`chaos: CPU ${cpuFigures}${busy}`);
console.log(finalLine(report));
process.exit(failed(report) ? 1 : 0);
