import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from './api-error.js';
import { bearerToken } from './auth.js';
import { fieldWithNul, parseEnvelope, parseTopLevel, queryObject } from './validation.js';

function refusal(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error.body;
    throw error;
  }
  throw new Error('no refusal');
}

const Schema = z.object({ name: z.string(), amount: z.number().int().min(1), url: z.url().optional() });

describe('request parsing', () => {
  it('reads Rails-style query strings', () => {
    expect(
      queryObject('http://x/?statuses%5B%5D=a&statuses%5B%5D=b&metadata%5Bk%5D=v&page=1&page=2'),
    ).toEqual({
      statuses: ['a', 'b'],
      metadata: { k: 'v' },
      page: '2',
    });
  });

  it.each([
    ['', 400],
    ['{', 400],
    ['[]', 400],
    ['{"thing":{}}', 400],
    ['{"thing":"x"}', 400],
    ['{"other":{"name":"n"}}', 400],
  ])('refuses %j without the root key as a 400', (raw, status) => {
    expect(refusal(() => parseEnvelope(raw, 'thing', Schema))).toMatchObject({ status });
  });

  it('maps zod issues to Lago codes on the innermost field', () => {
    expect(refusal(() => parseEnvelope('{"thing":{"amount":0,"url":"nope"}}', 'thing', Schema))).toEqual({
      status: 422,
      error: 'Unprocessable Entity',
      code: 'validation_errors',
      error_details: {
        name: ['value_is_mandatory'],
        amount: ['value_is_out_of_range'],
        url: ['url_is_invalid'],
      },
    });
  });

  it('treats an empty top-level body as no parameters', () => {
    expect(parseTopLevel('', z.object({ flag: z.boolean().optional() }))).toEqual({});
    expect(refusal(() => parseTopLevel('"x"', z.object({})))).toMatchObject({ status: 422 });
  });

  it('finds U+0000 anywhere in a value', () => {
    expect(fieldWithNul({ a: { b: ['ok', 'x\u0000'] } })).toBe('b');
    expect(fieldWithNul({ a: 'fine' })).toBeNull();
  });

  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer', null],
    ['Basic abc', null],
    ['Bearer a b', null],
    [undefined, null],
  ])('reads the bearer token of %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
