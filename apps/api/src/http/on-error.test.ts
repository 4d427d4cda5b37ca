import { describe, expect, it } from 'vitest';
import { describeError } from './on-error.js';

describe('describeError', () => {
  it('keeps only the database’s words from an error that quotes the statement', () => {
    const error = new Error(
      `insert into "customers" ("email") values ('jane@acme.test') - value too long for type character varying(255)`,
    );
    const described = describeError(error);
    expect(described.message).toBe('value too long for type character varying(255)');
    expect(JSON.stringify(described)).not.toContain('jane@acme.test');
  });

  it('keeps other messages and the stack frames', () => {
    const described = describeError(new TypeError('boom'));
    expect(described).toMatchObject({ name: 'TypeError', message: 'boom' });
    expect(described.stack).toMatch(/^\s+at /);
  });
});
