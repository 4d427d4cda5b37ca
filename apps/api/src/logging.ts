import type { Logger } from '@payrail/domain';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys whose values are never written, wherever they appear in a log context. */
const SECRET_KEYS = /authorization|secret|password|api_?key|token|hmac|signature|private/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEYS.test(key) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

export interface JsonLogger extends Logger {
  debug(message: string, context?: Readonly<Record<string, unknown>>): void;
}

/** JSON lines on stdout; also the domain's `Logger`. */
export function createJsonLogger(options: {
  readonly level: LogLevel;
  readonly write?: (line: string) => void;
  readonly base?: Readonly<Record<string, unknown>>;
}): JsonLogger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const min = ORDER[options.level];
  const log = (level: LogLevel, msg: string, context?: Readonly<Record<string, unknown>>) => {
    if (ORDER[level] < min) return;
    const safe = context ? (redact(context) as Record<string, unknown>) : {};
    write(JSON.stringify({ level, time: new Date().toISOString(), msg, ...options.base, ...safe }));
  };
  return {
    debug: (m, c) => log('debug', m, c),
    info: (m, c) => log('info', m, c),
    warn: (m, c) => log('warn', m, c),
    error: (m, c) => log('error', m, c),
  };
}
