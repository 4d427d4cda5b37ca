import type { LogLevel } from '@payrail/persistence';
import { z } from 'zod';

const Env = z.object({
  HOST: z.string().min(1).default('0.0.0.0'),
  // WEBHOOKS_PORT names it in a shared environment (beside API_PORT); PORT still works alone.
  WEBHOOKS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  WEBHOOK_SECRET_TTL_SECONDS: z.coerce.number().int().min(0).default(30),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export interface WebhooksConfig {
  readonly host: string;
  readonly port: number;
  readonly secretTtlMs: number;
  readonly logLevel: LogLevel;
}

/** Reads the environment once; a bad value stops the start naming the variable. */
export function parseWebhooksEnv(env: Readonly<Record<string, string | undefined>>): WebhooksConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`webhooks configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.WEBHOOKS_PORT ?? e.PORT,
    secretTtlMs: e.WEBHOOK_SECRET_TTL_SECONDS * 1000,
    logLevel: e.LOG_LEVEL,
  };
}
