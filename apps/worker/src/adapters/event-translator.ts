import { err, ok } from '@payrail/domain';
import type { Database } from '@payrail/persistence';
import { parseStripeEvent, type StripeGatewayFactory, translateStripeEvent } from '@payrail/stripe-adapter';
import type { EventTranslator } from '../inbox/ports.js';

/**
 * Inbox row → domain command through the Stripe adapter. The translator may read a payment method
 * from Stripe, with the key of the connection the event came in on.
 */
export function stripeEventTranslator(db: Database, gateways: StripeGatewayFactory): EventTranslator {
  return async (row) => {
    const event = parseStripeEvent(JSON.stringify(row.payload));
    if (!event.ok) return event;
    // One read: no transaction around it (decision 0911).
    const connection = await db.reads.read(row.organizationId, (tx) =>
      tx.stripeConnections.findById(row.connectionId),
    );
    if (connection === null)
      return err({ code: 'malformed', message: 'the Stripe connection no longer exists' });
    const gateway = gateways.forConnection({ connectionId: connection.id, secretKey: connection.secretKey });
    const translated = await translateStripeEvent(event.value, {
      organizationId: row.organizationId,
      connectionId: row.connectionId,
      paymentMethods: gateway,
    });
    return translated.ok ? ok(translated.value) : translated;
  };
}
