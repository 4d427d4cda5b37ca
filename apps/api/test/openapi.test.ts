import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { type OpenApiDocument, ResponseValidator } from './openapi-validation.js';

let h: Harness;
let doc: OpenApiDocument & { paths: Record<string, Record<string, { operationId?: string }>> };

beforeAll(async () => {
  h = await startHarness();
  doc = (await h.call('GET', '/api/v1/openapi.json', { key: null })).body as typeof doc;
});
afterAll(async () => {
  await h.close();
});

describe('the OpenAPI document', () => {
  it('gives every operation a unique operationId, so clients can be generated from it', () => {
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids.length).toBeGreaterThan(40);
    expect(ids.filter((id) => typeof id !== 'string')).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('says that payment_provider alone links nothing', () => {
    expect(JSON.stringify(doc)).toContain('`payment_provider` alone links nothing');
  });
});

describe('the response check every API test goes through', () => {
  const addOn = {
    lago_id: '0b6f5a3e-7c4f-4c1e-9d5e-2f3b4a5c6d7e',
    name: 'Setup',
    invoice_display_name: null,
    code: 'setup',
    amount_cents: 100,
    amount_currency: 'USD',
    description: null,
    created_at: '2026-11-26T10:11:12Z',
    taxes: [],
  };
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('accepts a documented body', async () => {
    await new ResponseValidator(doc).check('GET', '/add_ons/setup', json(200, { add_on: addOn }));
  });

  it('refuses a field the document does not list, a missing field and an undocumented status', async () => {
    const validator = new ResponseValidator(doc);
    await expect(
      validator.check('GET', '/add_ons/setup', json(200, { add_on: { ...addOn, surprise: 1 } })),
    ).rejects.toThrow(/surprise/);
    const { code: _code, ...withoutCode } = addOn;
    await expect(
      validator.check('GET', '/add_ons/setup', json(200, { add_on: withoutCode })),
    ).rejects.toThrow(/code/);
    await expect(validator.check('GET', '/add_ons/setup', json(418, {}))).rejects.toThrow(/not a documented/);
  });
});
