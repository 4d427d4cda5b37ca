/**
 * A tenant can reach nothing but its own data, hostile input gets a clear refusal, and no secret
 * leaves in a log line or a response. One system for the three proofs, so the secrets check sees
 * everything the other two did. Each prints its figure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedOperations, leakedMarkers, type OpenApiDocument, runMatrix } from './cross-tenant.js';
import { changedTables, organizationDigest } from './digest.js';
import { type FuzzDocument, FuzzGenerator, type FuzzPools, lagoShapeProblem, runFuzz } from './fuzz.js';
import { findSecrets } from './secrets.js';
import { eventsFromBsAccount, outcomesOfB, postForgedEvents } from './stripe-events.js';
import { type Exchange, type SecuritySystem, startSecuritySystem } from './system.js';
import { seedTenantA, seedTenantB, type TenantA, type TenantB } from './tenants.js';

/** Everything A's Stripe account holds, as A's key reads it. */
async function stripeStateOf(s: SecuritySystem, a: TenantA): Promise<string> {
  const stripe = s.stripe(a.connection.secretKey);
  const lists = await Promise.all([
    stripe.customers.list({ limit: 100 }),
    stripe.paymentIntents.list({ limit: 100 }),
    stripe.setupIntents.list({ limit: 100 }),
    stripe.refunds.list({ limit: 100 }),
    stripe.webhookEndpoints.list({ limit: 100 }),
    stripe.paymentMethods.list({ customer: a.cardCustomer.cus, limit: 100 }),
    stripe.checkout.sessions.list({ limit: 100 }),
  ]);
  return JSON.stringify(lists.map((list) => list.data));
}

/** Real ids and codes of both organizations, for generated requests to get past lookups. */
function fuzzPools(a: TenantA, b: TenantB): FuzzPools {
  return {
    ids: [
      a.connection.id,
      a.endpoint.id,
      a.addOn.id,
      a.cardCustomer.id,
      a.plainCustomer.id,
      a.paymentMethod.id,
      a.paidInvoice.id,
      a.openInvoice.id,
      a.payment.id,
      a.manualPayment.id,
      a.creditNote.id,
      a.webhookEventId,
      a.deliveryId,
      b.invoice.id,
      b.customer.id,
    ],
    externalIds: [a.cardCustomer.externalId, a.plainCustomer.externalId, b.customer.externalId],
    codes: [a.addOn.code, b.addOn.code],
    feeIds: [a.paidInvoice.feeId, a.openInvoice.feeId, b.invoice.feeId],
    invoiceIds: [a.paidInvoice.id, a.openInvoice.id, b.invoice.id],
    connectionCodes: [a.connection.code, b.connection.code],
    urls: [`${a.org.receiverUrl}/fuzz`, 'http://127.0.0.1:9/closed'],
  };
}

describe('a hostile tenant', () => {
  let s: SecuritySystem;
  let a: TenantA;
  let b: TenantB;
  let doc: OpenApiDocument & FuzzDocument;

  beforeAll(async () => {
    s = await startSecuritySystem();
    a = await seedTenantA(s);
    b = await seedTenantB(s);
    await s.idle();
    const served = await s.call(null, 'GET', '/openapi.json');
    doc = served.json as OpenApiDocument & FuzzDocument;
  }, 180_000);
  afterAll(() => s?.stop());

  it('reaches nothing of another organization through any route of the OpenAPI document', async () => {
    const operations = documentedOperations(doc);
    expect(operations.length).toBeGreaterThan(40);
    const stripeBefore = await stripeStateOf(s, a);
    const result = await runMatrix(s, a, b, operations);
    expect(await stripeStateOf(s, a)).toBe(stripeBefore);
    console.log(`cross-tenant: ${result.operations} routes × methods tried, leaks ${result.leaks.length}`);
    console.log(`cross-tenant requests: ${result.requests} with B's key and A's ids, codes and keys`);
    expect(result.leaks).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(result.operations).toBe(operations.length);
  }, 180_000);

  it("ignores Stripe events on B's connection that name A's objects", async () => {
    const aBefore = await organizationDigest(s.database, a.org.organizationId);
    const stripeBefore = await stripeStateOf(s, a);
    await eventsFromBsAccount(s, a, b);
    const forged = await postForgedEvents(s, a, b);
    await s.idle({ timeoutMs: 90_000, deliveries: false });
    const outcomes = await outcomesOfB(s, b);
    const changed = changedTables(aBefore, await organizationDigest(s.database, a.org.organizationId));
    console.log(
      `cross-tenant Stripe events: ${outcomes.length} on B's connection naming A's objects (${forged} signed by B itself), A changed ${changed.length}`,
    );
    expect(forged).toBeGreaterThan(5);
    expect(outcomes.length).toBeGreaterThan(forged + 5);
    expect(outcomes.filter((o) => !/^(ignored|parked)/.test(o.outcome))).toEqual([]);
    expect(changed).toEqual([]);
    expect(await stripeStateOf(s, a)).toBe(stripeBefore);
  }, 180_000);

  it("answers generated hostile requests without a 5xx, every refusal in Lago's error shape", async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20_261_204);
    const total = Number(process.env.FUZZ_REQUESTS ?? 10_000);
    const generator = new FuzzGenerator(doc, fuzzPools(a, b), seed);
    const cpu = process.cpuUsage();
    const started = Date.now();
    const result = await runFuzz(s, generator, { total, concurrency: 8, apiKey: a.org.apiKey });
    const used = process.cpuUsage(cpu);
    console.log(`fuzz: ${result.sent} requests, 5xx ${result.serverErrors}, off-shape ${result.offShape}`);
    console.log(
      `fuzz detail: seed ${seed}, ${generator.operationCount} operations, ${Math.round((Date.now() - started) / 1000)} s (${Math.round((used.user + used.system) / 1e6)} CPU s in this process), statuses ${JSON.stringify(result.statuses)}`,
    );
    expect(result.failures.slice(0, 20)).toEqual([]);
    expect(result.serverErrors + result.offShape).toBe(0);
    expect(result.sent).toBe(total);
  }, 600_000);

  it('lets no secret into a log line or a response', () => {
    const found = findSecrets(s);
    console.log(
      `secrets: ${s.logs.length} log lines and ${s.exchanges.length + s.outgoing.length} responses checked, found ${found.length}`,
    );
    expect(s.secrets.size).toBeGreaterThan(8);
    expect(found).toEqual([]);
  });

  it('catches a planted leak, write, secret and malformed refusal: the checks above can fail', async () => {
    const email = a.cardCustomer.email;
    const planted: Exchange = {
      method: 'GET',
      url: `${s.system.apiUrl}/api/v1/customers`,
      request: 'GET /customers',
      status: 200,
      text: JSON.stringify({ customers: [{ email }] }),
      headers: '[]',
      caller: b.org.apiKey,
    };
    expect(leakedMarkers(a.markers, planted)).toContain('a.cardCustomer.email');
    expect(leakedMarkers(a.markers, { ...planted, request: `GET /customers?search_term=${email}` })).toEqual(
      [],
    );

    const aHmacKey = a.markers.get('a.hmacKey') ?? '';
    const shownToB: Exchange = {
      ...planted,
      url: `${s.system.apiUrl}/api/v1/organizations/hmac_key`,
      text: JSON.stringify({ hmac_key: aHmacKey }),
    };
    const shownToA: Exchange = { ...shownToB, caller: a.org.apiKey };
    const found = findSecrets({
      ...s,
      logs: [`{"level":"info","msg":"connected","key":"${b.connection.secretKey}"}`],
      exchanges: [shownToB, shownToA],
      outgoing: [],
    });
    expect(found.map((f) => `${f.where.slice(0, 10)} ${f.secret.slice(0, 13)}`)).toEqual([
      'log line 1 Stripe key of',
      'response t HMAC key of A',
    ]);
    expect(found[1]?.where).toBe(`response to GET ${shownToB.url}`);

    expect(lagoShapeProblem(404, '{"status":404,"error":"Not Found"}')).toBe('no code');
    expect(
      lagoShapeProblem(422, '{"status":422,"error":"Unprocessable Entity","code":"validation_errors"}'),
    ).toBe('no error_details');
    expect(lagoShapeProblem(400, 'Bad Request')).toBe('not JSON');
    expect(lagoShapeProblem(401, '{"status":401,"error":"Unauthorized","stack":"at x"}')).toBe(
      'unexpected stack',
    );

    const before = await organizationDigest(s.database, a.org.organizationId);
    const renamed = await s.call(a.org.apiKey, 'POST', '/customers', {
      body: { customer: { external_id: a.cardCustomer.externalId, name: 'Alpha renamed itself' } },
    });
    expect(renamed.status).toBe(200);
    const after = await organizationDigest(s.database, a.org.organizationId);
    expect(changedTables(before, after)).toContain('customers');
  });
});
