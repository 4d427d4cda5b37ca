import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

describe('add-ons', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const create = (add_on: Record<string, unknown>, key?: string) =>
    h.call('POST', '/api/v1/add_ons', { body: { add_on }, ...(key ? { key } : {}) });

  it('creates, gets, lists, updates and deletes', async () => {
    const res = await create({
      name: 'Setup fee',
      code: 'setup_fee',
      amount_cents: 50000,
      amount_currency: 'USD',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      add_on: { code: 'setup_fee', amount_cents: 50000, amount_currency: 'USD', invoice_display_name: null },
    });
    expect((await h.call('GET', '/api/v1/add_ons/setup_fee')).body).toMatchObject({
      add_on: { name: 'Setup fee' },
    });
    const list = await h.call('GET', '/api/v1/add_ons');
    expect(list.body).toMatchObject({
      add_ons: [{ code: 'setup_fee' }],
      meta: { total_count: 1, current_page: 1 },
    });
    const updated = await h.call('PUT', '/api/v1/add_ons/setup_fee', {
      body: { add_on: { amount_cents: 60000, description: 'once' } },
    });
    expect(updated.body).toMatchObject({ add_on: { amount_cents: 60000, description: 'once' } });
    const deleted = await h.call('DELETE', '/api/v1/add_ons/setup_fee');
    expect(deleted.status).toBe(200);
    expect((await h.call('GET', '/api/v1/add_ons/setup_fee')).body).toEqual({
      status: 404,
      error: 'Not Found',
      code: 'add_on_not_found',
    });
  });

  it.each([
    [{ code: 'a1', amount_cents: 100, amount_currency: 'USD' }, { name: ['value_is_mandatory'] }],
    [
      { name: 'n', code: 'a2', amount_cents: 0, amount_currency: 'USD' },
      { amount_cents: ['value_is_out_of_range'] },
    ],
    [
      { name: 'n', code: 'a3', amount_cents: 10, amount_currency: 'XX' },
      { amount_currency: ['value_is_invalid'] },
    ],
    [
      { name: 'n', code: 'a4', amount_cents: 'ten', amount_currency: 'USD' },
      { amount_cents: ['value_is_invalid'] },
    ],
  ])('refuses %o with 422', async (input, details) => {
    const res = await create(input);
    expect(res).toMatchObject({ status: 422, body: { code: 'validation_errors', error_details: details } });
  });

  it('refuses a duplicate code', async () => {
    await create({ name: 'Once', code: 'dup', amount_cents: 100, amount_currency: 'EUR' });
    const res = await create({ name: 'Twice', code: 'dup', amount_cents: 100, amount_currency: 'EUR' });
    expect(res).toMatchObject({ status: 422, body: { error_details: { code: ['value_already_exist'] } } });
  });

  it('keeps add-ons per organization', async () => {
    await create({ name: 'Mine', code: 'mine', amount_cents: 100, amount_currency: 'EUR' });
    const other = h.globex.apiKey;
    expect((await h.call('GET', '/api/v1/add_ons/mine', { key: other })).status).toBe(404);
    expect((await h.call('DELETE', '/api/v1/add_ons/mine', { key: other })).status).toBe(404);
    expect((await h.call('GET', '/api/v1/add_ons', { key: other })).body).toMatchObject({ add_ons: [] });
    const same = await create(
      { name: 'Theirs', code: 'mine', amount_cents: 5, amount_currency: 'EUR' },
      other,
    );
    expect(same.status).toBe(200);
  });
});
