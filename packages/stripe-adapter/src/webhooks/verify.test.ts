import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { verifyStripeWebhook } from './verify.js';

/** The SDK is the oracle: our verifier must accept exactly what `constructEvent` accepts. */
const sdk = new Stripe('sk_test_oracle', { telemetry: false });
const secret = 'whsec_test_secret_0123456789';
const now = 1_795_000_000;
const body = JSON.stringify({
  id: 'evt_1',
  object: 'event',
  type: 'payment_intent.succeeded',
  created: now - 10,
  livemode: false,
  data: { object: { id: 'pi_1', object: 'payment_intent' } },
});

function header(opts: { payload?: string; secret?: string; timestamp?: number; scheme?: string } = {}) {
  return sdk.webhooks.generateTestHeaderString({
    payload: opts.payload ?? body,
    secret: opts.secret ?? secret,
    timestamp: opts.timestamp ?? now,
    ...(opts.scheme ? { scheme: opts.scheme } : {}),
  });
}

function sdkAccepts(payload: string | Buffer, signature: string, tolerance: number, atSeconds: number) {
  try {
    sdk.webhooks.constructEvent(payload, signature, secret, tolerance, undefined, atSeconds * 1000);
    return true;
  } catch {
    return false;
  }
}

const sigOf = (h: string) => h.split(',')[1] as string;

const cases: Array<{
  name: string;
  payload: string | Buffer;
  header: string;
  tolerance?: number;
  at?: number;
}> = [
  { name: 'a valid signature', payload: body, header: header() },
  { name: 'a Buffer body', payload: Buffer.from(body), header: header() },
  { name: 'the wrong secret', payload: body, header: header({ secret: 'whsec_other' }) },
  { name: 'a changed body', payload: body.replace('pi_1', 'pi_2'), header: header() },
  { name: 'a timestamp 301 s old', payload: body, header: header({ timestamp: now - 301 }) },
  { name: 'a timestamp exactly 300 s old', payload: body, header: header({ timestamp: now - 300 }) },
  { name: 'a timestamp 300 s in the future', payload: body, header: header({ timestamp: now + 300 }) },
  { name: 'tolerance 0 and an old timestamp', payload: body, header: header({ timestamp: 1 }), tolerance: 0 },
  {
    name: 'a rolled secret: one good v1 among several',
    payload: body,
    header: `t=${now},v1=${'0'.repeat(64)},${sigOf(header())},v0=abc`,
  },
  { name: 'only a v0 signature', payload: body, header: header({ scheme: 'v0' }) },
  { name: 'a v1 that is not hex', payload: body, header: `t=${now},v1=zz` },
  { name: 'no timestamp', payload: body, header: sigOf(header()) },
  { name: 'an empty header', payload: body, header: '' },
  {
    name: 'a signature of the same body at another time',
    payload: body,
    header: `t=${now + 1},${sigOf(header())}`,
  },
];

describe('verifyStripeWebhook agrees with stripe.webhooks.constructEvent', () => {
  it.each(cases)('$name', (c) => {
    const tolerance = c.tolerance ?? 300;
    const ours = verifyStripeWebhook({
      rawBody: c.payload,
      signatureHeader: c.header,
      secret,
      toleranceSeconds: tolerance,
      now: new Date((c.at ?? now) * 1000),
    });
    expect(ours.ok).toBe(sdkAccepts(c.payload, c.header, tolerance, c.at ?? now));
  });
});

describe('verifyStripeWebhook where it is stricter than the SDK', () => {
  it('refuses a timestamp more than the tolerance ahead, which constructEvent accepts', () => {
    for (const ahead of [301, 3600, 365 * 86_400]) {
      const signature = header({ timestamp: now + ahead });
      expect(sdkAccepts(body, signature, 300, now)).toBe(true);
      const ours = verifyStripeWebhook({
        rawBody: body,
        signatureHeader: signature,
        secret,
        now: new Date(now * 1000),
      });
      expect(ours.ok ? null : ours.error.code).toBe('in_the_future');
    }
  });

  it('leaves the timestamp unchecked with tolerance 0, as the SDK does', () => {
    const signature = header({ timestamp: now + 3600 });
    const ours = verifyStripeWebhook({
      rawBody: body,
      signatureHeader: signature,
      secret,
      toleranceSeconds: 0,
      now: new Date(now * 1000),
    });
    expect(ours.ok).toBe(sdkAccepts(body, signature, 0, now));
    expect(ours.ok).toBe(true);
  });
});

describe('verifyStripeWebhook error codes', () => {
  const verify = (overrides: Partial<Parameters<typeof verifyStripeWebhook>[0]>) =>
    verifyStripeWebhook({
      rawBody: body,
      signatureHeader: header(),
      secret,
      now: new Date(now * 1000),
      ...overrides,
    });

  it('parses the event into plain data', () => {
    const result = verify({});
    expect(result).toEqual({
      ok: true,
      value: {
        id: 'evt_1',
        type: 'payment_intent.succeeded',
        created: now - 10,
        account: null,
        apiVersion: null,
        livemode: false,
        data: { object: { id: 'pi_1', object: 'payment_intent' }, previousAttributes: null },
      },
    });
  });

  it.each([
    ['bad_signature', { secret: 'whsec_wrong' }],
    ['bad_signature', { rawBody: `${body} ` }],
    ['bad_signature', { secret: '   ' }],
    ['too_old', { now: new Date((now + 301) * 1000) }],
    ['malformed', { signatureHeader: undefined }],
    ['malformed', { signatureHeader: 'garbage' }],
  ] as const)('reports %s for %j', (code, overrides) => {
    const result = verify(overrides);
    expect(result.ok ? null : result.error.code).toBe(code);
  });

  it('reports a correctly signed body that is not an event as malformed', () => {
    for (const payload of ['not json', '[1,2]', '{"id":"evt_1","type":"x"}']) {
      const result = verify({ rawBody: payload, signatureHeader: header({ payload }) });
      expect(result.ok ? null : result.error.code).toBe('malformed');
    }
  });

  it('uses the current time when none is given', () => {
    const fresh = header({ timestamp: Math.floor(Date.now() / 1000) });
    expect(verifyStripeWebhook({ rawBody: body, signatureHeader: fresh, secret }).ok).toBe(true);
    expect(verifyStripeWebhook({ rawBody: body, signatureHeader: header(), secret }).ok).toBe(
      Math.abs(Math.floor(Date.now() / 1000) - now) <= 300,
    );
  });
});
