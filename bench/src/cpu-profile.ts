/**
 * Preloaded into a process under test by `pnpm bench --profile DIR`
 * (`NODE_OPTIONS=--import …/cpu-profile.js`; Node 20 refuses `--cpu-prof` there). SIGUSR2 starts
 * sampling the CPU; the next SIGUSR2 stops it and writes `<name>.cpuprofile` into CPU_PROFILE_DIR,
 * where `<name>` is read from the file `next` there. The bench toggles it around each measurement,
 * so a profile holds one load and nothing of the start-up.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  let profiling = false;
  process.on('SIGUSR2', () => {
    if (!profiling) {
      session.post('Profiler.start');
      profiling = true;
      return;
    }
    profiling = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      let name = String(process.pid);
      try {
        name = readFileSync(join(dir, 'next'), 'utf8').trim() || name;
      } catch {
        // unnamed
      }
      writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
