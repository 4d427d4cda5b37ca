import { describe, expect, it } from 'vitest';
import { loadStartConfig, StartConfigError } from './config.js';

describe('loadStartConfig', () => {
  it('leaves private webhook targets to the command when unset, and reads a list when set', () => {
    expect(loadStartConfig({}).WEBHOOK_ALLOW_PRIVATE_TARGETS).toBeUndefined();
    expect(loadStartConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'none' }).WEBHOOK_ALLOW_PRIVATE_TARGETS).toEqual(
      [],
    );
    expect(
      loadStartConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'loopback,private' }).WEBHOOK_ALLOW_PRIVATE_TARGETS,
    ).toEqual(['loopback', 'private']);
  });

  it('names the variable when its value is not one it knows', () => {
    expect(() => loadStartConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'everything' })).toThrow(StartConfigError);
    expect(() => loadStartConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'everything' })).toThrow(
      /WEBHOOK_ALLOW_PRIVATE_TARGETS/,
    );
  });
});
