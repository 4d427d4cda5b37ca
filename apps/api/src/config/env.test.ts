import { describe, expect, it } from 'vitest';
import { ConfigError, loadApiConfig, uiMountFromConfig } from './env.js';

describe('loadApiConfig', () => {
  it('applies defaults outside production', () => {
    const config = loadApiConfig({});
    expect(config).toMatchObject({ HOST: '127.0.0.1', API_PORT: 3000, LOG_LEVEL: 'info' });
    expect(config.PUBLIC_BASE_URL).toBe('http://127.0.0.1:3000');
    expect(config.WEBHOOK_ALLOW_PRIVATE_TARGETS).toEqual([]);
  });

  it('opens webhook targets on loopback or private networks only when listed', () => {
    expect(
      loadApiConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'loopback' }).WEBHOOK_ALLOW_PRIVATE_TARGETS,
    ).toEqual(['loopback']);
    expect(
      loadApiConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'loopback,private' }).WEBHOOK_ALLOW_PRIVATE_TARGETS,
    ).toEqual(['loopback', 'private']);
    expect(loadApiConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'none' }).WEBHOOK_ALLOW_PRIVATE_TARGETS).toEqual(
      [],
    );
  });

  it.each([
    [{ API_PORT: 'eighty' }, /API_PORT/],
    [{ API_PORT: '70000' }, /API_PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ DATABASE_URL: 'postgresql://h/db' }, /ENCRYPTION_KEY is required with DATABASE_URL/],
    [{ PUBLIC_BASE_URL: 'not a url' }, /PUBLIC_BASE_URL/],
    [{ STRIPE_API_BASE: 'ftp://x' }, /STRIPE_API_BASE/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ COOKIE_SECURE: 'yes' }, /COOKIE_SECURE/],
    [{ UI_SESSION_IDLE_MINUTES: '0' }, /UI_SESSION_IDLE_MINUTES/],
    [{ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'all' }, /WEBHOOK_ALLOW_PRIVATE_TARGETS/],
    [{ UI_SESSION_IDLE_MINUTES: '121', UI_SESSION_MAX_HOURS: '2' }, /UI_SESSION_IDLE_MINUTES/],
    [
      { NODE_ENV: 'production' },
      /DATABASE_URL.*ENCRYPTION_KEY.*PUBLIC_BASE_URL.*WEBHOOK_SIGNING_PRIVATE_KEY/,
    ],
  ])('fails fast on %o, naming the variable', (env, message) => {
    expect(() => loadApiConfig(env)).toThrow(ConfigError);
    expect(() => loadApiConfig(env)).toThrow(message);
  });

  it('takes Secure cookies from COOKIE_SECURE, else from an https PUBLIC_BASE_URL', () => {
    expect(uiMountFromConfig(loadApiConfig({})).secureCookies).toBe(false);
    expect(uiMountFromConfig(loadApiConfig({ PUBLIC_BASE_URL: 'https://pay.example' })).secureCookies).toBe(
      true,
    );
    expect(
      uiMountFromConfig(loadApiConfig({ PUBLIC_BASE_URL: 'https://pay.example', COOKIE_SECURE: 'false' }))
        .secureCookies,
    ).toBe(false);
    expect(uiMountFromConfig(loadApiConfig({ COOKIE_SECURE: 'true' }))).toEqual({
      basePath: '/ui',
      secureCookies: true,
      sessionIdleSeconds: 30 * 60,
      sessionMaxSeconds: 12 * 60 * 60,
    });
  });

  it('never echoes a secret value in its message', () => {
    let message = '';
    try {
      loadApiConfig({ NODE_ENV: 'production', ENCRYPTION_KEY: 'super-secret-value', API_PORT: 'x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/API_PORT/);
    expect(message).not.toContain('super-secret-value');
  });
});
