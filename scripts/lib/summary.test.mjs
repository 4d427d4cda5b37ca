// The summary line of ./scripts/test, read from a real vitest JSON report of failing files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const vitestBin = join(root, 'node_modules', '.bin', 'vitest');
const dirs = [];

/** Runs vitest on `files` in a scratch directory and returns its JSON report's path. */
function reportOf(files) {
  const dir = mkdtempSync(join(tmpdir(), 'summary-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'vitest.config.mjs'), 'export default { test: { globals: true } };\n');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const report = join(dir, 'report.json');
  spawnSync(vitestBin, ['run', '--root', dir, '--reporter=json', `--outputFile.json=${report}`], {
    cwd: dir,
    encoding: 'utf8',
  });
  return report;
}

function summarize(report) {
  const run = spawnSync(process.execPath, [join(here, 'summary.mjs'), report], { encoding: 'utf8' });
  return { line: run.stdout.trim(), code: run.status };
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the summary line', () => {
  it('counts a file whose beforeAll failed (its tests reported as skipped) as failed', () => {
    const report = reportOf({
      'browser.test.js':
        "beforeAll(() => { throw new Error('no browser'); });\nit('a', () => {});\nit('b', () => {});\n",
      'ok.test.js': "it('ok', () => {});\n",
    });
    expect(summarize(report)).toEqual({ line: '1 passed, 1 failed', code: 1 });
  });

  it('counts a file that fails at import as failed', () => {
    const report = reportOf({
      'broken.test.js': "import './missing.js';\nit('never', () => {});\n",
      'ok.test.js': "it('ok', () => {});\n",
    });
    expect(summarize(report)).toEqual({ line: '1 passed, 1 failed', code: 1 });
  });

  it('counts failing tests one by one, and says 0 failed only for a green run', () => {
    const failing = reportOf({
      'f.test.js': "it('x', () => { throw new Error('x'); });\nit('y', () => {});\n",
    });
    expect(summarize(failing)).toEqual({ line: '1 passed, 1 failed', code: 1 });
    const green = reportOf({ 'g.test.js': "it('y', () => {});\n" });
    expect(summarize(green)).toEqual({ line: '1 passed, 0 failed', code: 0 });
  });

  it('reports a missing report as a failure', () => {
    expect(summarize(join(tmpdir(), 'no-such-report.json'))).toEqual({ line: '0 passed, 1 failed', code: 1 });
  });
});
