import { parsePrivateTargets } from '@payrail/lago-wire';
import { STRIPE_LIVE_REQUESTS_PER_SECOND, STRIPE_TEST_REQUESTS_PER_SECOND } from '@payrail/stripe-adapter';
import { z } from 'zod';
import type { UiMount } from '../deps.js';

const url = (name: string) =>
  z.string().refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `${name} must be an http(s) URL`);

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .refine((v) => /^postgres(ql)?:\/\//.test(v), 'DATABASE_URL must be a postgres:// or postgresql:// URL')
      .optional(),
    ENCRYPTION_KEY: z.string().min(1).optional(),
    /** Read by persistence (`openDatabaseFromEnv`) while the key is rotated; checked here with the rest. */
    ENCRYPTION_KEY_PREVIOUS: z.string().min(1).optional(),
    PUBLIC_BASE_URL: url('PUBLIC_BASE_URL').optional(),
    STRIPE_API_BASE: url('STRIPE_API_BASE').optional(),
    /** Each Stripe account's request limit, paced to across processes (decision 0920); 0: unpaced. */
    STRIPE_LIVE_REQUESTS_PER_SECOND: z.coerce
      .number()
      .int()
      .min(0)
      .max(100_000)
      .default(STRIPE_LIVE_REQUESTS_PER_SECOND),
    STRIPE_TEST_REQUESTS_PER_SECOND: z.coerce
      .number()
      .int()
      .min(0)
      .max(100_000)
      .default(STRIPE_TEST_REQUESTS_PER_SECOND),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    /** A revoked API key is refused by every API process within this many seconds (decision 0903). */
    API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
    WEBHOOK_SIGNING_PRIVATE_KEY: z.string().min(1).optional(),
    COOKIE_SECURE: z
      .enum(['true', 'false'], { message: 'COOKIE_SECURE must be true or false' })
      .transform((v) => v === 'true')
      .optional(),
    /** Webhook endpoints on loopback or private networks: none unless listed (decision 0800). */
    WEBHOOK_ALLOW_PRIVATE_TARGETS: z
      .string()
      .optional()
      .transform((value, ctx) => {
        try {
          return parsePrivateTargets(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    UI_SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    UI_SESSION_MAX_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 24)
      .default(12),
  })
  .superRefine((env, ctx) => {
    if (env.UI_SESSION_IDLE_MINUTES > env.UI_SESSION_MAX_HOURS * 60) {
      ctx.addIssue({
        code: 'custom',
        path: ['UI_SESSION_IDLE_MINUTES'],
        message: 'UI_SESSION_IDLE_MINUTES must not exceed UI_SESSION_MAX_HOURS',
      });
    }
    if (env.DATABASE_URL && !env.ENCRYPTION_KEY) {
      // Secrets sealed with a throwaway key could not be opened after a restart.
      ctx.addIssue({
        code: 'custom',
        path: ['ENCRYPTION_KEY'],
        message: 'ENCRYPTION_KEY is required with DATABASE_URL',
      });
    }
    if (env.NODE_ENV !== 'production') return;
    for (const name of [
      'DATABASE_URL',
      'ENCRYPTION_KEY',
      'PUBLIC_BASE_URL',
      'WEBHOOK_SIGNING_PRIVATE_KEY',
    ] as const) {
      if (!env[name])
        ctx.addIssue({ code: 'custom', path: [name], message: `${name} is required in production` });
    }
  });

export type ApiConfig = z.output<typeof EnvSchema> & { readonly PUBLIC_BASE_URL: string };

/**
 * The web UI's settings. `Secure` cookies: `COOKIE_SECURE`, else whether `PUBLIC_BASE_URL` is https
 * (Stripe only delivers live webhooks to https, so a production deployment is https).
 */
export function uiMountFromConfig(config: ApiConfig): UiMount {
  return {
    basePath: '/ui',
    secureCookies: config.COOKIE_SECURE ?? config.PUBLIC_BASE_URL.startsWith('https:'),
    sessionIdleSeconds: config.UI_SESSION_IDLE_MINUTES * 60,
    sessionMaxSeconds: config.UI_SESSION_MAX_HOURS * 60 * 60,
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parsed once at start-up; the message names every variable that is wrong. */
export function loadApiConfig(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const config = result.data;
  return { ...config, PUBLIC_BASE_URL: config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.API_PORT}` };
}
