import { type DomainError, notAllowed, type ValidationCode, validation } from '../errors.js';
import { linkExisting, requestProviderCustomer, UNLINKED } from '../machines/billing-link.js';
import type { Address, BillingLink, Customer } from '../model/customer.js';
import type { PaymentMethodType } from '../model/payment-method.js';
import { type CurrencyCode, parseCurrency } from '../money.js';
import type { Tx } from '../ports/unit-of-work.js';
import { err, ok, type Result } from '../result.js';
import { chooseConnection } from '../rules/connection-choice.js';
import {
  checkMethodsAgainstCurrency,
  DEFAULT_PAYMENT_METHODS,
  needsSetup,
  parsePaymentMethods,
} from '../rules/payment-methods.js';
import { inTx } from './steps/in-transaction.js';
import { newEvent } from './steps/new-event.js';
import type { OrganizationScoped } from './steps/references.js';
import { unlinkCustomer } from './steps/unlink-customer.js';
import type { UseCase } from './steps/use-case-context.js';

/** Lago's `billing_configuration`; only the keys present are applied. */
export interface BillingConfigurationInput {
  readonly paymentProvider?: string | null;
  readonly paymentProviderCode?: string | null;
  readonly providerCustomerId?: string | null;
  /** Create the Stripe customer inside the request: the caller runs `syncCustomerToStripe` right after. */
  readonly sync?: boolean;
  readonly syncWithProvider?: boolean;
  readonly providerPaymentMethods?: readonly string[] | null;
}

export interface UpsertCustomerInput extends OrganizationScoped {
  readonly externalId: string;
  readonly name?: string | null;
  readonly firstname?: string | null;
  readonly lastname?: string | null;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly currency?: string | null;
  readonly address?: Partial<Address>;
  readonly billingConfiguration?: BillingConfigurationInput;
}

export interface UpsertCustomerOutput {
  readonly customer: Customer;
  readonly created: boolean;
  /** `billing_configuration.sync` was true and a Stripe customer must be created now. */
  readonly syncNow: boolean;
}

const EMPTY_ADDRESS: Address = {
  line1: null,
  line2: null,
  city: null,
  state: null,
  zipcode: null,
  country: null,
};

/**
 * Lago's `POST /customers`: an upsert by `external_id` with partial-update semantics. A customer
 * is linked to Stripe only when `sync_with_provider` is true or a `provider_customer_id` is given;
 * auto-creation happens in a job (or right away when the caller honours `syncNow`).
 */
export const upsertCustomer: UseCase<UpsertCustomerInput, UpsertCustomerOutput> = async ({ ctx, input }) => {
  const parsed = parseInput(input);
  if (!parsed.ok) return parsed;
  return inTx(ctx, input.organizationId, async (tx) => {
    const existing = await tx.customers.findByExternalId(input.organizationId, parsed.value.externalId);
    const now = ctx.clock.now();
    const base: Customer = existing
      ? applyContactFields(existing, input, parsed.value.currency, now)
      : {
          id: ctx.ids.next('customer'),
          organizationId: input.organizationId,
          externalId: parsed.value.externalId,
          sequentialId: await tx.sequences.next({ kind: 'customer', organizationId: input.organizationId }),
          name: null,
          firstname: null,
          lastname: null,
          email: null,
          phone: null,
          currency: null,
          address: EMPTY_ADDRESS,
          billing: UNLINKED,
          deletedAt: null,
          version: 1,
          createdAt: now,
          updatedAt: now,
        };
    const withContact = existing ? base : applyContactFields(base, input, parsed.value.currency, now);

    const linked = await applyBilling(tx, withContact, input.billingConfiguration, parsed.value.methods, now);
    if (!linked.ok) return linked;
    const customer = linked.value;
    // An attempt out at the provider settles through the link it was sent on: keep that link.
    const relinked = existing !== null && !sameProviderState(existing.billing, customer.billing);
    if (relinked && (await tx.payments.findInFlightForCustomer(existing.id))) {
      return err(
        notAllowed(
          'payment_processor_is_currently_handling_payment',
          'a payment of this customer is in progress; its payment provider cannot change until it settles',
        ),
      );
    }

    const stored = existing ? await tx.customers.update(customer) : await tx.customers.insert(customer);
    await tx.outbox.publish(
      newEvent(ctx, stored.organizationId, existing ? 'customer.updated' : 'customer.created', {
        lago_customer_id: stored.id,
      }),
    );
    const pending =
      stored.billing.provider === 'stripe' && stored.billing.providerCustomer.status === 'pending';
    const becamePending = pending && !(existing && sameProviderState(existing.billing, stored.billing));
    if (becamePending) {
      await tx.jobs.enqueue({
        name: 'stripe.create_customer',
        payload: { organizationId: stored.organizationId, customerId: stored.id },
        dedupeKey: `stripe.create_customer:${stored.id}`,
      });
    } else if (stored.billing.provider === 'stripe' && stored.billing.providerCustomer.status === 'linked') {
      const newlyLinked = !existing || !sameProviderState(existing.billing, stored.billing);
      if (newlyLinked || contactChanged(existing, stored)) {
        await tx.jobs.enqueue({
          name: 'stripe.update_customer',
          payload: { organizationId: stored.organizationId, customerId: stored.id },
          dedupeKey: `stripe.update_customer:${stored.id}`,
        });
      }
      if (existing && newlyLinked && needsSetup(stored.billing.paymentMethodTypes)) {
        await tx.jobs.enqueue({
          name: 'stripe.checkout_link',
          payload: { organizationId: stored.organizationId, customerId: stored.id },
          dedupeKey: `stripe.checkout_link:${stored.id}`,
        });
      }
    }
    return ok({
      customer: stored,
      created: !existing,
      syncNow: pending && input.billingConfiguration?.sync === true,
    });
  });
};

interface ParsedInput {
  readonly externalId: string;
  readonly currency: CurrencyCode | null | undefined;
  readonly methods: readonly PaymentMethodType[] | undefined;
}

function parseInput(input: UpsertCustomerInput): Result<ParsedInput, DomainError> {
  const details: Record<string, ValidationCode[]> = {};
  const externalId = input.externalId?.trim() ?? '';
  if (externalId === '') details.external_id = ['value_is_mandatory'];
  let currency: CurrencyCode | null | undefined = input.currency === null ? null : undefined;
  if (typeof input.currency === 'string') {
    currency = parseCurrency(input.currency);
    if (!currency) details.currency = ['value_is_invalid'];
  }
  if (input.email) {
    const addresses = input.email.split(',').map((e) => e.trim());
    if (addresses.some((a) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a)))
      details.email = ['invalid_email_format'];
  }
  const bc = input.billingConfiguration;
  if (bc?.paymentProvider !== undefined && bc.paymentProvider !== null && bc.paymentProvider !== 'stripe') {
    details.payment_provider = ['value_is_invalid'];
  }
  let methods: readonly PaymentMethodType[] | undefined;
  if (bc?.providerPaymentMethods !== undefined && bc.providerPaymentMethods !== null) {
    const checked = parsePaymentMethods(bc.providerPaymentMethods);
    if (checked.ok) methods = checked.value;
    else details.provider_payment_methods = [checked.error];
  }
  if (Object.keys(details).length > 0) return err(validation(details));
  return ok({ externalId, currency, methods });
}

function applyContactFields(
  customer: Customer,
  input: UpsertCustomerInput,
  currency: CurrencyCode | null | undefined,
  at: Date,
): Customer {
  const pick = <K extends 'name' | 'firstname' | 'lastname' | 'email' | 'phone'>(key: K) =>
    input[key] === undefined ? customer[key] : (input[key] ?? null);
  return {
    ...customer,
    name: pick('name'),
    firstname: pick('firstname'),
    lastname: pick('lastname'),
    email: pick('email'),
    phone: pick('phone'),
    currency: currency === undefined ? customer.currency : currency,
    address: input.address ? { ...customer.address, ...input.address } : customer.address,
    updatedAt: at,
  };
}

async function applyBilling(
  tx: Tx,
  customer: Customer,
  bc: BillingConfigurationInput | undefined,
  methods: readonly PaymentMethodType[] | undefined,
  at: Date,
): Promise<Result<Customer, DomainError>> {
  const current = customer.billing;
  if (!bc || bc.paymentProvider === null) {
    if (bc?.paymentProvider === null) return ok(await unlinkCustomer(tx, customer, at));
    return checkCurrencyStillServed(customer);
  }
  const wantsStripe =
    bc.paymentProvider === 'stripe' || (bc.paymentProvider === undefined && current.provider === 'stripe');
  if (!wantsStripe) return ok(customer);

  const providerCustomerId = bc.providerCustomerId?.trim() || null;
  const linking =
    current.provider === 'stripe' || bc.syncWithProvider === true || providerCustomerId !== null;
  if (!linking) return ok(customer);

  const connections = await tx.stripeConnections.listByOrganization(customer.organizationId);
  const keepConnection =
    current.provider === 'stripe' &&
    (bc.paymentProviderCode === undefined || bc.paymentProviderCode === null);
  const connection = keepConnection
    ? connections.find((c) => c.id === current.connectionId)
    : (() => {
        const chosen = chooseConnection(connections, bc.paymentProviderCode);
        return chosen.ok ? chosen.value : chosen.error;
      })();
  if (connection === undefined) return err(validation({ base: ['payment_provider_not_found'] }));
  if (typeof connection === 'string') return err(validation({ base: [connection] }));

  const sameConnection = current.provider === 'stripe' && current.connectionId === connection.id;
  const paymentMethodTypes =
    methods ?? (current.provider === 'stripe' ? current.paymentMethodTypes : DEFAULT_PAYMENT_METHODS);
  const compatible = checkMethodsAgainstCurrency(paymentMethodTypes, customer.currency);
  if (!compatible.ok) return err(validation({ provider_payment_methods: [compatible.error] }));
  const syncWithProvider =
    bc.syncWithProvider ?? (current.provider === 'stripe' ? current.syncWithProvider : false);
  const settings = { connectionId: connection.id, syncWithProvider, paymentMethodTypes };

  let unlinked = customer;
  let billing: BillingLink;
  if (providerCustomerId !== null) {
    const unchanged =
      sameConnection &&
      current.providerCustomer.status === 'linked' &&
      current.providerCustomer.providerCustomerId === providerCustomerId;
    if (unchanged) billing = { ...current, ...settings };
    else {
      unlinked = await unlinkCustomer(tx, customer, at);
      billing = linkExisting(settings, providerCustomerId);
    }
  } else if (
    bc.providerCustomerId === null &&
    sameConnection &&
    current.providerCustomer.status === 'linked'
  ) {
    // Explicitly cleared: a new Stripe customer only if asked for, otherwise no link at all.
    unlinked = await unlinkCustomer(tx, customer, at);
    billing = syncWithProvider ? requestProviderCustomer(settings) : UNLINKED;
  } else if (sameConnection) {
    const retryCreation = current.providerCustomer.status === 'error' && bc.syncWithProvider === true;
    billing = retryCreation ? requestProviderCustomer(settings) : { ...current, ...settings };
  } else {
    unlinked = await unlinkCustomer(tx, customer, at);
    billing = syncWithProvider ? requestProviderCustomer(settings) : UNLINKED;
  }
  return ok({ ...unlinked, billing });
}

/** A currency change must not leave a linked customer with no usable method. */
function checkCurrencyStillServed(customer: Customer): Result<Customer, DomainError> {
  if (customer.billing.provider !== 'stripe') return ok(customer);
  const compatible = checkMethodsAgainstCurrency(customer.billing.paymentMethodTypes, customer.currency);
  return compatible.ok ? ok(customer) : err(validation({ provider_payment_methods: [compatible.error] }));
}

function sameProviderState(a: BillingLink, b: BillingLink): boolean {
  if (a.provider !== 'stripe' || b.provider !== 'stripe') return a.provider === b.provider;
  if (a.connectionId !== b.connectionId || a.providerCustomer.status !== b.providerCustomer.status)
    return false;
  return a.providerCustomer.status !== 'linked' || b.providerCustomer.status !== 'linked'
    ? true
    : a.providerCustomer.providerCustomerId === b.providerCustomer.providerCustomerId;
}

function contactChanged(before: Customer | null, after: Customer): boolean {
  if (!before) return true;
  return (
    before.name !== after.name ||
    before.firstname !== after.firstname ||
    before.lastname !== after.lastname ||
    before.email !== after.email ||
    before.phone !== after.phone ||
    JSON.stringify(before.address) !== JSON.stringify(after.address)
  );
}
