import { describe, expect, it } from 'vitest';
import {
  createTestContext,
  expectOk,
  givenAddOn,
  givenInvoice,
  givenLinkedCustomer,
} from '../testing/index.js';
import { collectInvoicePayment } from './collect-invoice-payment.js';

describe('collectInvoicePayment smoke', () => {
  it('charges a finalized invoice once', async () => {
    const t = createTestContext();
    await givenLinkedCustomer(t);
    await givenAddOn(t);
    const invoice = await givenInvoice(t);
    const result = expectOk(
      await collectInvoicePayment({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, invoiceId: invoice.id },
      }),
    );
    expect(result.outcome).toBe('attempted');
    expect(result.invoice.payment.status).toBe('succeeded');
    expect(t.gateway.succeededChargesFor(invoice.id)).toHaveLength(1);
  });
});
