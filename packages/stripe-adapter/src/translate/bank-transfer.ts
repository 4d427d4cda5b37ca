import type { BankTransferRequest } from '@payrail/domain';

/**
 * `payment_method_options.customer_balance` of a bank-transfer payment: Stripe opens (or reuses)
 * the customer's virtual account for the currency and answers with the instructions to pay it.
 */
export function customerBalanceOptions(transfer: BankTransferRequest): {
  funding_type: 'bank_transfer';
  bank_transfer: {
    type: BankTransferRequest['type'];
    eu_bank_transfer?: { country: string };
  };
} {
  return {
    funding_type: 'bank_transfer',
    bank_transfer: {
      type: transfer.type,
      ...(transfer.type === 'eu_bank_transfer' && transfer.country !== null
        ? { eu_bank_transfer: { country: transfer.country } }
        : {}),
    },
  };
}
