import type { WireStripeConnection as StripeConnection } from '@payrail/lago-wire';
import { METHOD_OPTIONS } from '../rules/payment-methods.js';
import type { View } from '../views/context.js';
import { CsrfField, ErrorList, Layout } from '../views/layout.js';

export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'CAD', 'AUD', 'SEK', 'DKK', 'NOK', 'PLN', 'JPY'];

/** The form's values, as typed: re-shown unchanged after the API refuses them. */
export interface CustomerDraft {
  readonly external_id: string;
  readonly name: string;
  readonly email: string;
  readonly currency: string;
  readonly provider: 'none' | 'stripe';
  readonly connection_code: string;
  readonly stripe_customer: 'create' | 'link';
  readonly provider_customer_id: string;
  readonly methods: readonly string[];
}

export const EMPTY_DRAFT: CustomerDraft = {
  external_id: '',
  name: '',
  email: '',
  currency: '',
  provider: 'stripe',
  connection_code: '',
  stripe_customer: 'create',
  provider_customer_id: '',
  methods: ['card'],
};

export function CustomerFormPage(props: {
  view: View;
  draft: CustomerDraft;
  connections: readonly StripeConnection[];
  editing: boolean;
  errors?: readonly string[];
}) {
  const { view, draft: d } = props;
  const title = props.editing ? `Edit customer ${d.external_id}` : 'New customer';
  return (
    <Layout view={view} title={title} section="customers">
      <h1>{title}</h1>
      <ErrorList title="The customer was not saved:" errors={props.errors} />
      <form method="post" action={`${view.base}/customers`} class="card">
        <CsrfField view={view} />
        {props.editing ? <input type="hidden" name="editing" value="1" /> : null}
        <label for="external_id">
          External id
          <span class="hint">Your billing system’s id for this customer; it cannot change later.</span>
        </label>
        {props.editing ? (
          <>
            <input id="external_id" type="text" value={d.external_id} disabled />
            <input type="hidden" name="external_id" value={d.external_id} />
          </>
        ) : (
          <input
            id="external_id"
            name="external_id"
            type="text"
            value={d.external_id}
            required
            maxlength={255}
          />
        )}
        <label for="name">Name</label>
        <input id="name" name="name" type="text" value={d.name} maxlength={255} />
        <label for="email">Email</label>
        <input id="email" name="email" type="email" value={d.email} />
        <label for="currency">
          Currency<span class="hint">Decides which payment methods can charge this customer.</span>
        </label>
        <select id="currency" name="currency">
          <option value="" selected={d.currency === ''}>
            Not set
          </option>
          {CURRENCIES.map((cur) => (
            <option value={cur} selected={d.currency === cur}>
              {cur}
            </option>
          ))}
        </select>

        <fieldset>
          <legend>Payment provider</legend>
          <label class="check">
            <input type="radio" name="provider" value="stripe" checked={d.provider === 'stripe'} />
            <span>Stripe</span>
          </label>
          <label class="check">
            <input type="radio" name="provider" value="none" checked={d.provider === 'none'} />
            <span>None (invoices are not collected automatically)</span>
          </label>
          <label for="connection_code">Stripe connection</label>
          {props.connections.length === 0 ? (
            <p class="muted" id="connection_code">
              No Stripe connection yet: <a href={`${view.base}/settings/integrations/stripe/new`}>add one</a>{' '}
              first.
            </p>
          ) : (
            <select id="connection_code" name="connection_code">
              {props.connections.map((conn) => (
                <option value={conn.code} selected={d.connection_code === conn.code}>
                  {conn.name} ({conn.code})
                </option>
              ))}
            </select>
          )}
        </fieldset>

        <fieldset>
          <legend>Customer in Stripe</legend>
          <label class="check">
            <input
              type="radio"
              name="stripe_customer"
              value="create"
              checked={d.stripe_customer === 'create'}
            />
            <span>Create the customer in Stripe</span>
          </label>
          <label class="check">
            <input type="radio" name="stripe_customer" value="link" checked={d.stripe_customer === 'link'} />
            <span>Link an existing Stripe customer</span>
          </label>
          <label for="provider_customer_id">
            Stripe customer id
            <span class="hint">Only when linking, e.g. cus_123. Leave blank to create one.</span>
          </label>
          <input
            id="provider_customer_id"
            name="provider_customer_id"
            type="text"
            value={d.provider_customer_id}
            maxlength={255}
          />
        </fieldset>

        <fieldset>
          <legend>Payment methods offered at checkout</legend>
          {METHOD_OPTIONS.map((m) => (
            <label class="check">
              <input type="checkbox" name="methods" value={m.value} checked={d.methods.includes(m.value)} />
              <span>
                {m.label} <span class="hint">{m.limit}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit">{props.editing ? 'Save customer' : 'Create customer'}</button>
          <a
            href={
              props.editing
                ? `${view.base}/customers/${encodeURIComponent(d.external_id)}`
                : `${view.base}/customers`
            }
          >
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}
