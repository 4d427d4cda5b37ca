// Prints vitest's JSON report as the one line CI reads: "N passed, N failed".
import { readFileSync } from 'node:fs';

const path = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch (err) {
  console.error(`no vitest report at ${path}: ${err.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
// A file that failed without a failing test of its own (it could not load, or a beforeAll threw
// and vitest reports its tests as skipped) counts as one failure.
const brokenFiles = (report.testResults ?? []).filter(
  (file) =>
    file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
).length;
let failed = report.numFailedTests + brokenFiles;
// Anything else vitest judged a failure (an unhandled error between tests) is never "0 failed".
if (failed === 0 && report.success === false) failed = 1;
console.log(`${report.numPassedTests} passed, ${failed} failed`);
process.exit(failed > 0 || report.numPassedTests === 0 ? 1 : 0);
