import type { LagoCustomer as Customer } from '@payrail/lago-wire';
import type { Flash } from '../http/flash.js';
import type { View } from '../views/context.js';
import { formatDateTime } from '../views/format.js';
import { CsrfField } from '../views/layout.js';

/** The checkout link just generated (shown once: the API has no read-back), or the button to make one. */
export function CheckoutSection(props: { view: View; customer: Customer; checkout: Flash['checkout'] }) {
  const { view, customer } = props;
  const bc = customer.billing_configuration;
  const action = `${view.base}/customers/${encodeURIComponent(customer.external_id)}/checkout-url`;
  const blocked =
    bc.payment_provider !== 'stripe'
      ? 'Link the customer to Stripe first.'
      : !bc.provider_customer_id
        ? 'The customer does not exist in Stripe yet; reload in a moment.'
        : null;
  const link =
    props.checkout && props.checkout.customer === customer.external_id ? props.checkout : undefined;
  return (
    <section class="card" aria-labelledby="checkout-title">
      <h2 id="checkout-title" style="margin-top:0">
        Checkout link
      </h2>
      {link ? (
        <dl class="facts">
          <dt>Link</dt>
          <dd>
            <a href={link.url} id="checkout-link" rel="noreferrer">
              {link.url}
            </a>
          </dd>
          <dt>Expires</dt>
          <dd id="checkout-expiry">{formatDateTime(link.expiresAt)} (24 hours after it was generated)</dd>
        </dl>
      ) : (
        <p class="muted">
          Send the customer a Stripe Checkout link to save a payment method. A link works for 24 hours;
          generating a new one does not cancel older ones.
        </p>
      )}
      <form method="post" action={action} class="actions">
        <CsrfField view={view} />
        <div class="action">
          <button
            type="submit"
            disabled={blocked !== null}
            aria-describedby={blocked ? 'checkout-reason' : undefined}
          >
            {link ? 'Regenerate checkout link' : 'Generate checkout link'}
          </button>
          {blocked ? (
            <span class="reason" id="checkout-reason">
              {blocked}
            </span>
          ) : null}
        </div>
      </form>
    </section>
  );
}
