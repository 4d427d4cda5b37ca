/** The Stripe API surface the emulator serves. */
import * as charges from '../resources/charges.js';
import * as customers from '../resources/customers.js';
import * as disputes from '../resources/disputes.js';
import * as pis from '../resources/payment-intents.js';
import * as pms from '../resources/payment-methods.js';
import { Router } from './router.js';

export function apiRoutes(): Router {
  return new Router()
    .add('POST', '/v1/customers', customers.createCustomer)
    .add('GET', '/v1/customers', customers.listCustomers)
    .add('GET', '/v1/customers/:id', customers.retrieveCustomer)
    .add('POST', '/v1/customers/:id', customers.updateCustomer)
    .add('DELETE', '/v1/customers/:id', customers.deleteCustomer)
    .add('GET', '/v1/customers/:id/payment_methods', pms.listCustomerPaymentMethods)
    .add('GET', '/v1/customers/:id/payment_methods/:pm', pms.retrieveCustomerPaymentMethod)
    .add('POST', '/v1/payment_methods', pms.createPaymentMethod)
    .add('GET', '/v1/payment_methods', pms.listPaymentMethods)
    .add('GET', '/v1/payment_methods/:id', pms.retrievePaymentMethod)
    .add('POST', '/v1/payment_methods/:id', pms.updatePaymentMethod)
    .add('POST', '/v1/payment_methods/:id/attach', pms.attachRoute)
    .add('POST', '/v1/payment_methods/:id/detach', pms.detachRoute)
    .add('POST', '/v1/payment_intents', pis.createPaymentIntent)
    .add('GET', '/v1/payment_intents', pis.listPaymentIntents)
    .add('GET', '/v1/payment_intents/:id', pis.retrievePaymentIntent)
    .add('POST', '/v1/payment_intents/:id', pis.updatePaymentIntent)
    .add('POST', '/v1/payment_intents/:id/confirm', pis.confirmPaymentIntent)
    .add('POST', '/v1/payment_intents/:id/cancel', pis.cancelPaymentIntent)
    .add('GET', '/v1/charges', charges.listCharges)
    .add('GET', '/v1/charges/:id', charges.retrieveCharge)
    .add('POST', '/v1/charges/:id', charges.updateCharge)
    .add('GET', '/v1/disputes', disputes.listDisputes)
    .add('GET', '/v1/disputes/:id', disputes.retrieveDispute)
    .add('POST', '/v1/disputes/:id', disputes.updateDispute)
    .add('POST', '/v1/disputes/:id/close', disputes.closeDisputeRoute);
}
