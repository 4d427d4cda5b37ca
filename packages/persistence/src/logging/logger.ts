import type { Logger } from '@payrail/domain';
import { type DestinationStream, pino } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** The domain's `Logger`, plus `debug`. */
export interface JsonLogger extends Logger {
  debug(message: string, context?: Readonly<Record<string, unknown>>): void;
}

export interface LoggerOptions {
  /** `api`, `webhooks`, `worker`, `payrail` (the one-process start command). */
  readonly service: string;
  readonly level: LogLevel;
  /**
   * Where each line goes, synchronously (tests collect them). Default: stdout, written
   * asynchronously in the background (a line is never lost on `process.exit`: pino flushes then).
   */
  readonly write?: (line: string) => void;
}

/** Keys whose values are never written, wherever they appear in a log context. */
const SECRET_KEYS = /authorization|secret|password|api_?key|token|hmac|signature|private/i;
const MAX_DEPTH = 6;

function hasSecretKey(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return false;
  if (value instanceof Error) return true;
  if (Array.isArray(value)) return value.some((v) => hasSecretKey(v, depth + 1));
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEYS.test(key) || hasSecretKey(v, depth + 1)) return true;
  }
  return false;
}

/**
 * A copy of `value` with the values of secret-looking keys replaced, at any depth, and errors as
 * plain `{ name, message, stack }`. Keys are matched by pattern rather than by path, because
 * contexts are built all over the code and a new one must be safe without being listed.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEYS.test(key) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

/**
 * The one logger of every process: JSON lines `{"level","time","service","msg",...context}` through
 * pino, secrets redacted. Configured here once; each app only names itself and its level.
 */
export function createLogger(options: LoggerOptions): JsonLogger {
  const { write } = options;
  const destination: DestinationStream = write
    ? { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) }
    : pino.destination({ dest: 1, sync: false });
  const base = pino(
    {
      level: options.level,
      base: { service: options.service },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        // Most contexts are flat ids and counts: they are passed through untouched.
        log: (context) => (hasSecretKey(context, 0) ? (redact(context) as Record<string, unknown>) : context),
      },
    },
    destination,
  );
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, context?: Readonly<Record<string, unknown>>) => {
      if (context === undefined) base[level](message);
      else base[level](context, message);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
