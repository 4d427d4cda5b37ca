import { createHmac, createVerify } from 'node:crypto';
import { makeEvent } from '@payrail/domain';
import { describe, expect, it } from 'vitest';
import {
  buildWebhookPayload,
  serializeCustomer,
  serializeInvoiceExtended,
  signHmac,
  signJwt,
  WebhookSigningKey,
  webhookBody,
  webhookHeaders,
  webhookObjectNeed,
} from '../src/index.js';
import { invoice, linkedCustomer } from './fixtures.js';

const meta = { id: 'evt-1', organizationId: 'org-1', occurredAt: new Date('2026-11-26T00:00:00Z') };
const customer = serializeCustomer(linkedCustomer, {
  connectionCode: 'stripe_test',
  documentNumberPrefix: 'ACM',
});
const renderedInvoice = serializeInvoiceExtended(invoice, { customer, documentNumberPrefix: 'ACM' });

describe('webhook payloads', () => {
  it('wraps an object under its object type', () => {
    const event = makeEvent('invoice.voided', meta, { lago_invoice_id: invoice.id });
    expect(webhookObjectNeed(event)).toEqual({ kind: 'invoice', id: invoice.id });
    const payload = buildWebhookPayload(event, { invoice: renderedInvoice });
    expect(payload).toEqual({
      webhook_type: 'invoice.voided',
      object_type: 'invoice',
      organization_id: 'org-1',
      invoice: renderedInvoice,
    });
  });

  it('nests the invoice in payment_dispute_lost and omits a blank reason', () => {
    const event = makeEvent('invoice.payment_dispute_lost', meta, {
      lago_invoice_id: invoice.id,
      provider_error: null,
    });
    const payload = buildWebhookPayload(event, { invoice: renderedInvoice });
    const object = payload.payment_dispute_lost as Record<string, unknown>;
    expect(Object.keys(object)).toEqual(['invoice']);
    expect(object.invoice).not.toHaveProperty('fees');
  });

  it('passes event facts through for error events', () => {
    const data = {
      lago_customer_id: linkedCustomer.id,
      external_customer_id: 'cust_001',
      payment_provider: 'stripe' as const,
      payment_provider_code: 'stripe_test',
      checkout_url: 'https://checkout.stripe.com/x',
    };
    const event = makeEvent('customer.checkout_url_generated', meta, data);
    expect(webhookObjectNeed(event)).toBeNull();
    expect(buildWebhookPayload(event).payment_provider_customer_checkout_url).toEqual(data);
  });

  it('refuses to build an object event without the object', () => {
    const event = makeEvent('payment.succeeded', meta, { lago_payment_id: 'p' });
    expect(() => buildWebhookPayload(event)).toThrow(/payment/);
  });
});

describe('signatures', () => {
  const key = WebhookSigningKey.generate();
  const body = webhookBody({ webhook_type: 't', object_type: 'o', organization_id: 'org-1', o: {} });

  it('signs a JWT that verifies with the served public key and carries the body', async () => {
    const token = await signJwt(body, key, 'https://api.example.test');
    const [header, claims, signature] = token.split('.') as [string, string, string];
    const pem = Buffer.from(key.publicKeyBase64().replaceAll('\n', ''), 'base64').toString('utf8');
    const valid = createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(pem, Buffer.from(signature, 'base64url'));
    expect(valid).toBe(true);
    // Exactly Lago's header and claims: receivers that compare them (or their order) see no change.
    expect(Buffer.from(header, 'base64url').toString()).toBe('{"alg":"RS256"}');
    expect(Buffer.from(claims, 'base64url').toString()).toBe(
      JSON.stringify({ data: body, iss: 'https://api.example.test' }),
    );
  });

  it('signs the JWT header in a webhook delivery', async () => {
    const headers = await webhookHeaders({
      body,
      algo: 'jwt',
      uniqueKey: 'u-2',
      jwt: { key, issuer: 'https://api.example.test' },
      hmacKey: '',
    });
    expect(headers['X-Lago-Signature-Algorithm']).toBe('jwt');
    expect(headers['X-Lago-Signature']).toBe(await signJwt(body, key, 'https://api.example.test'));
  });

  it('serves the public key like Ruby encode64: 60-character lines and a final newline', () => {
    const lines = key.publicKeyBase64().split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -2).every((l) => l.length === 60)).toBe(true);
  });

  it('signs HMAC over the raw body with standard base64', async () => {
    expect(signHmac(body, 'k')).toBe(createHmac('sha256', 'k').update(body).digest('base64'));
    const headers = await webhookHeaders({
      body,
      algo: 'hmac',
      uniqueKey: 'u-1',
      jwt: { key, issuer: 'x' },
      hmacKey: 'k',
    });
    expect(headers['X-Lago-Signature-Algorithm']).toBe('hmac');
    expect(headers['X-Lago-Unique-Key']).toBe('u-1');
  });

  it('reads the same key back from its PEM, escaped PEM or base64 form', () => {
    const pem = key.privateKeyPem();
    for (const text of [pem, pem.replaceAll('\n', '\\n'), Buffer.from(pem).toString('base64')]) {
      expect(WebhookSigningKey.fromText(text).publicKeyPem()).toBe(key.publicKeyPem());
    }
    expect(() => WebhookSigningKey.fromEnv({})).toThrow(/WEBHOOK_SIGNING_PRIVATE_KEY/);
    expect(String(key)).not.toContain('PRIVATE');
  });
});
