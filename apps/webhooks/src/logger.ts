import type { Logger } from '@payrail/domain';

export type LogLevel = 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { info: 0, warn: 1, error: 2, silent: 3 };

/** One JSON line per entry on stdout/stderr; callers never pass secrets or bodies. */
export function jsonLogger(component: string, level: LogLevel = 'info'): Logger {
  const write = (
    at: Exclude<LogLevel, 'silent'>,
    message: string,
    context?: Readonly<Record<string, unknown>>,
  ) => {
    if (RANK[at] < RANK[level]) return;
    const line = JSON.stringify({
      time: new Date().toISOString(),
      level: at,
      component,
      message,
      ...context,
    });
    if (at === 'info') process.stdout.write(`${line}\n`);
    else process.stderr.write(`${line}\n`);
  };
  return {
    info: (message, context) => write('info', message, context),
    warn: (message, context) => write('warn', message, context),
    error: (message, context) => write('error', message, context),
  };
}
