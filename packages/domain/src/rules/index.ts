export { chooseConnection } from './connection-choice.js';
export { type CreditNoteAmounts, checkCreditNoteAmounts } from './credit-note-amounts.js';
export {
  defaultAfterManualChoice,
  defaultAfterNewMethod,
  defaultAfterProviderChange,
  defaultAfterRemoval,
  methodToCharge,
} from './default-payment-method.js';
export {
  isBelowProviderMinimum,
  minimumChargeCents,
  STRIPE_MINIMUM_CHARGE_CENTS,
} from './minimum-amounts.js';
export { creditNoteNumber, invoiceNumber, isoDate } from './numbering.js';
export {
  bankTransferFor,
  checkMethodsAgainstCurrency,
  DEFAULT_PAYMENT_METHODS,
  EU_BANK_TRANSFER_COUNTRIES,
  isPaymentMethodType,
  methodsForCurrency,
  needsSetup,
  parsePaymentMethods,
  setupCapableMethods,
  supportsCurrency,
} from './payment-methods.js';
export { multiplyUnits, parseUnits } from './units.js';
export { checkSuccessRedirectUrl, MAX_SUCCESS_REDIRECT_URL_LENGTH } from './url.js';
