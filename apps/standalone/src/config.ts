import { type PrivateTargetKind, parsePrivateTargets } from '@payrail/lago-wire';
import { STRIPE_LIVE_REQUESTS_PER_SECOND, STRIPE_TEST_REQUESTS_PER_SECOND } from '@payrail/stripe-adapter';

/** The start command's environment, parsed once; a bad value stops it with the variable's name. */
export interface StartConfig {
  readonly HOST: string;
  readonly API_PORT: number;
  readonly WEBHOOKS_PORT: number;
  readonly STRIPE_EMULATOR_PORT: number;
  readonly DATA_DIR: string;
  readonly DATABASE_URL: string | undefined;
  readonly STRIPE_API_BASE: string | undefined;
  /** Each Stripe account's request limit by its key's mode, paced to (decision 0920); 0: unpaced. */
  readonly STRIPE_LIVE_REQUESTS_PER_SECOND: number;
  readonly STRIPE_TEST_REQUESTS_PER_SECOND: number;
  readonly PUBLIC_BASE_URL: string | undefined;
  readonly WEBHOOK_SIGNING_PRIVATE_KEY: string | undefined;
  /** `Secure` on the web UI's cookies; unset: whether PUBLIC_BASE_URL is https. */
  readonly COOKIE_SECURE: boolean | undefined;
  readonly UI_SESSION_IDLE_MINUTES: number;
  readonly UI_SESSION_MAX_HOURS: number;
  /**
   * Private address classes webhook endpoints may reach; unset here means the command's default
   * (the embedded start: `loopback`; `--processes` leaves each app to read it, and they allow none).
   */
  readonly WEBHOOK_ALLOW_PRIVATE_TARGETS: readonly PrivateTargetKind[] | undefined;
}

export class StartConfigError extends Error {}

function port(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new StartConfigError(`${name} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
  }
  return value;
}

function optional(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function url(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = optional(env, name);
  if (value === undefined) return undefined;
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
  } catch {
    throw new StartConfigError(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return value.replace(/\/+$/, '');
}

function bool(env: Readonly<Record<string, string | undefined>>, name: string): boolean | undefined {
  const value = optional(env, name);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') {
    throw new StartConfigError(`${name} must be true or false, got ${JSON.stringify(value)}`);
  }
  return value === 'true';
}

function count(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  max: number,
) {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new StartConfigError(`${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function requestsPerSecond(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 100_000) {
    throw new StartConfigError(
      `${name} must be a whole number of requests per second from 0 (unpaced) to 100000, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function privateTargets(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): readonly PrivateTargetKind[] | undefined {
  const value = optional(env, name);
  if (value === undefined) return undefined;
  try {
    return parsePrivateTargets(value);
  } catch (error) {
    throw new StartConfigError((error as Error).message);
  }
}

export function loadStartConfig(env: Readonly<Record<string, string | undefined>>): StartConfig {
  return {
    HOST: optional(env, 'HOST') ?? '127.0.0.1',
    API_PORT: port(env, 'API_PORT', 3000),
    WEBHOOKS_PORT: port(env, 'WEBHOOKS_PORT', 3001),
    STRIPE_EMULATOR_PORT: port(env, 'STRIPE_EMULATOR_PORT', 12111),
    DATA_DIR: optional(env, 'DATA_DIR') ?? '.data',
    DATABASE_URL: optional(env, 'DATABASE_URL'),
    STRIPE_API_BASE: url(env, 'STRIPE_API_BASE'),
    STRIPE_LIVE_REQUESTS_PER_SECOND: requestsPerSecond(
      env,
      'STRIPE_LIVE_REQUESTS_PER_SECOND',
      STRIPE_LIVE_REQUESTS_PER_SECOND,
    ),
    STRIPE_TEST_REQUESTS_PER_SECOND: requestsPerSecond(
      env,
      'STRIPE_TEST_REQUESTS_PER_SECOND',
      STRIPE_TEST_REQUESTS_PER_SECOND,
    ),
    PUBLIC_BASE_URL: url(env, 'PUBLIC_BASE_URL'),
    WEBHOOK_SIGNING_PRIVATE_KEY: optional(env, 'WEBHOOK_SIGNING_PRIVATE_KEY'),
    COOKIE_SECURE: bool(env, 'COOKIE_SECURE'),
    UI_SESSION_IDLE_MINUTES: count(env, 'UI_SESSION_IDLE_MINUTES', 30, 24 * 60),
    UI_SESSION_MAX_HOURS: count(env, 'UI_SESSION_MAX_HOURS', 12, 30 * 24),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: privateTargets(env, 'WEBHOOK_ALLOW_PRIVATE_TARGETS'),
  };
}
