import { describe, expect, it } from 'vitest';
import {
  createTestContext,
  expectOk,
  givenAddOn,
  givenInvoice,
  givenLinkedCustomer,
} from '../testing/index.js';
import type { CreateAddOnInput } from './create-add-on.js';
import { createAddOn } from './create-add-on.js';
import type { CreateOneOffInvoiceInput } from './create-one-off-invoice.js';
import { createOneOffInvoice } from './create-one-off-invoice.js';
import { deleteAddOn } from './delete-add-on.js';
import { updateAddOn } from './update-add-on.js';

describe('add-ons', () => {
  it('creates, updates and deletes by code', async () => {
    const t = createTestContext();
    const org = t.organization.id;
    const addOn = await givenAddOn(t, 'setup_fee', 5000, 'EUR');
    expect(addOn).toMatchObject({ code: 'setup_fee', amountCents: 5000, currency: 'EUR' });
    const updated = expectOk(
      await updateAddOn({ ctx: t.ctx, input: { organizationId: org, code: 'setup_fee', amountCents: 7000 } }),
    );
    expect(updated).toMatchObject({ amountCents: 7000, version: 2 });
    expectOk(await deleteAddOn({ ctx: t.ctx, input: { organizationId: org, code: 'setup_fee' } }));
    expect(
      await updateAddOn({ ctx: t.ctx, input: { organizationId: org, code: 'setup_fee', name: 'x' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'add_on_not_found' },
    });
    await givenAddOn(t, 'setup_fee');
  });

  it.each<[Partial<CreateAddOnInput>, Record<string, string[]>]>([
    [{ name: '' }, { name: ['value_is_mandatory'] }],
    [{ code: '' }, { code: ['value_is_mandatory'] }],
    [{ amountCents: 0 }, { amount_cents: ['value_is_out_of_range'] }],
    [{ amountCents: 1.5 }, { amount_cents: ['value_is_out_of_range'] }],
    [{ amountCurrency: 'EU' }, { amount_currency: ['value_is_invalid'] }],
    [{ code: 'taken' }, { code: ['value_already_exist'] }],
  ])('rejects %j', async (override, details) => {
    const t = createTestContext();
    await givenAddOn(t, 'taken');
    const result = await createAddOn({
      ctx: t.ctx,
      input: {
        organizationId: t.organization.id,
        code: 'c',
        name: 'n',
        amountCents: 100,
        amountCurrency: 'EUR',
        ...override,
      },
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'validation', details } });
  });
});

describe('createOneOffInvoice', () => {
  it('builds fees from add-ons, finalizes with a number and queues collection atomically', async () => {
    const t = createTestContext();
    const { customer } = await givenLinkedCustomer(t);
    await givenAddOn(t, 'setup_fee', 12_000);
    await givenAddOn(t, 'support', 999);
    const invoice = await givenInvoice(t, {
      fees: [
        { addOnCode: 'setup_fee' },
        { addOnCode: 'support', units: '2.5' },
        { addOnCode: 'support', unitAmountCents: 1, units: 3 },
      ],
    });
    expect(invoice).toMatchObject({
      status: 'finalized',
      number: `ACM-1234-${String(customer.sequentialId).padStart(3, '0')}-001`,
      currency: 'EUR',
      feesAmountCents: 12_000 + 2498 + 3,
      totalAmountCents: 14_501,
      taxesAmountCents: 0,
      payment: { status: 'pending', inFlightPaymentId: null },
      issuingDate: '2026-11-26',
    });
    expect(invoice.fees.map((f) => [f.addOnCode, f.units, f.amountCents])).toEqual([
      ['setup_fee', '1.0', 12_000],
      ['support', '2.5', 2498],
      ['support', '3.0', 3],
    ]);
    expect(t.store.jobsNamed('payment.collect')).toEqual([
      expect.objectContaining({ payload: { organizationId: t.organization.id, invoiceId: invoice.id } }),
    ]);
    expect(t.store.eventsOfType('invoice.one_off_created')[0]?.data).toEqual({ lago_invoice_id: invoice.id });
    const second = await givenInvoice(t);
    expect(second.number).toMatch(/-002$/);
  });

  it('a zero total is paid without Stripe and nothing is queued', async () => {
    const t = createTestContext();
    await givenLinkedCustomer(t);
    await givenAddOn(t);
    const invoice = await givenInvoice(t, { fees: [{ addOnCode: 'setup_fee', unitAmountCents: 0 }] });
    expect(invoice.payment).toMatchObject({ status: 'succeeded', paymentId: null });
    expect(t.store.jobsNamed('payment.collect')).toHaveLength(0);
    expect(t.gateway.intents.size).toBe(0);
  });

  it('skip_psp finalizes without queueing a charge', async () => {
    const t = createTestContext();
    await givenLinkedCustomer(t);
    await givenAddOn(t);
    await givenInvoice(t, { skipPsp: true });
    expect(t.store.jobsNamed('payment.collect')).toHaveLength(0);
  });

  it.each<[string, Partial<CreateOneOffInvoiceInput>, object]>([
    ['no fees', { fees: [] }, { kind: 'not_found', code: 'fees_not_found' }],
    ['unknown add-on', { fees: [{ addOnCode: 'nope' }] }, { kind: 'not_found', code: 'add_on_not_found' }],
    ['unknown customer', { externalCustomerId: 'ghost' }, { kind: 'not_found', code: 'customer_not_found' }],
    [
      'bad units',
      { fees: [{ addOnCode: 'setup_fee', units: '-1' }] },
      { details: { units: ['value_is_invalid'] } },
    ],
    [
      'bad unit amount',
      { fees: [{ addOnCode: 'setup_fee', unitAmountCents: -5 }] },
      { details: { unit_amount_cents: ['value_is_invalid'] } },
    ],
    [
      'units × unit amount beyond the safe integer range',
      { fees: [{ addOnCode: 'setup_fee', units: 1e15, unitAmountCents: 1e15 }] },
      { kind: 'validation', details: { units: ['value_is_out_of_range'] } },
    ],
    [
      'fees each in range whose sum is not',
      {
        fees: [
          { addOnCode: 'setup_fee', unitAmountCents: 2 ** 52 },
          { addOnCode: 'setup_fee', unitAmountCents: 2 ** 52 },
        ],
      },
      { kind: 'validation', details: { fees: ['value_is_out_of_range'] } },
    ],
    ['bad currency', { currency: 'EURO' }, { details: { currency: ['value_is_invalid'] } }],
    [
      'add-on price in another currency',
      { currency: 'USD' },
      { details: { currency: ['currencies_does_not_match'] } },
    ],
  ])('rejects: %s', async (_name, override, error) => {
    const t = createTestContext();
    await givenLinkedCustomer(t);
    await givenAddOn(t);
    const result = await createOneOffInvoice({
      ctx: t.ctx,
      input: {
        organizationId: t.organization.id,
        externalCustomerId: 'cust_001',
        fees: [{ addOnCode: 'setup_fee' }],
        ...override,
      },
    });
    expect(result).toMatchObject({ ok: false, error });
    expect(t.store.invoices.size).toBe(0);
    expect(t.store.jobsNamed('payment.collect')).toHaveLength(0);
  });
});
