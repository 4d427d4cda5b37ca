import { describe, expect, it } from 'vitest';
import {
  createTestContext,
  expectOk,
  givenAddOn,
  givenInvoice,
  givenLinkedCustomer,
  type TestContext,
} from '../testing/index.js';
import { collectInvoicePayment } from './collect-invoice-payment.js';
import { createCreditNote } from './create-credit-note.js';
import { voidCreditNote } from './void-credit-note.js';

async function creditNote(
  t: TestContext,
  amounts: { creditAmountCents?: number; offsetAmountCents?: number },
) {
  await givenLinkedCustomer(t);
  await givenAddOn(t, 'setup_fee', 10_000);
  const invoice = await givenInvoice(t);
  // Credit needs a paid invoice; an offset needs one with something still due.
  if (amounts.creditAmountCents !== undefined)
    expectOk(
      await collectInvoicePayment({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, invoiceId: invoice.id },
      }),
    );
  const feeId = invoice.fees[0]?.id ?? '';
  const total = (amounts.creditAmountCents ?? 0) + (amounts.offsetAmountCents ?? 0);
  return expectOk(
    await createCreditNote({
      ctx: t.ctx,
      input: {
        organizationId: t.organization.id,
        invoiceId: invoice.id,
        items: [{ feeId, amountCents: total }],
        ...amounts,
      },
    }),
  );
}

function voidIt(t: TestContext, creditNoteId: string, organizationId = t.organization.id) {
  return voidCreditNote({ ctx: t.ctx, input: { organizationId, creditNoteId } });
}

describe('voidCreditNote', () => {
  it('voids the remaining credit: status voided, balance 0, version bumped', async () => {
    const t = createTestContext();
    const cn = await creditNote(t, { creditAmountCents: 700 });
    const voided = expectOk(await voidIt(t, cn.id));
    expect(voided).toMatchObject({ creditStatus: 'voided', balanceAmountCents: 0, creditAmountCents: 700 });
    expect(voided.version).toBe(cn.version + 1);
  });

  it('a second void is refused with no_voidable_amount and changes nothing', async () => {
    const t = createTestContext();
    const cn = await creditNote(t, { creditAmountCents: 700 });
    const first = expectOk(await voidIt(t, cn.id));
    expect(await voidIt(t, cn.id)).toMatchObject({
      ok: false,
      error: { kind: 'not_allowed', code: 'no_voidable_amount' },
    });
    expect(t.store.creditNotes.get(cn.id)).toMatchObject({ version: first.version });
  });

  it('a note without remaining credit (offset only) cannot be voided', async () => {
    const t = createTestContext();
    const cn = await creditNote(t, { offsetAmountCents: 300 });
    expect(cn.balanceAmountCents).toBe(0);
    expect(await voidIt(t, cn.id)).toMatchObject({ ok: false, error: { code: 'no_voidable_amount' } });
    expect(t.store.creditNotes.get(cn.id)).toMatchObject({ creditStatus: 'available' });
  });

  it("another organization's note, or an unknown id, is credit_note_not_found", async () => {
    const t = createTestContext();
    const cn = await creditNote(t, { creditAmountCents: 700 });
    const missing = { ok: false, error: { kind: 'not_found', code: 'credit_note_not_found' } };
    expect(await voidIt(t, cn.id, '00000000-0000-4000-8000-0000000000ff')).toMatchObject(missing);
    expect(await voidIt(t, '00000000-0000-4000-8000-0000000000fe')).toMatchObject(missing);
    expect(t.store.creditNotes.get(cn.id)).toMatchObject({ creditStatus: 'available' });
  });
});
