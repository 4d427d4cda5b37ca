export { Clock } from './clock.js';
export {
  type CompleteCheckoutResult,
  type ControlErrorBody,
  EmulatorControlError,
  type EmulatorControls,
  emulatorControls,
  type FaultRequest,
} from './controls/client.js';
export { Emulator, KEY_MODES, type KeyMode } from './emulator.js';
export { API_VERSION } from './events.js';
export * from './form.js';
export { FAULT_KINDS, type FaultKind, type FaultSpec } from './http/faults.js';
export type { RateLimitSettings } from './http/rate-limit.js';
export { INSTRUMENTS, type Instrument, type MethodType, MINIMUM_AMOUNT } from './instruments.js';
export { DELAYED_SETTLE_SECONDS, SETTLE_SECONDS } from './resources/payment-attempts.js';
export { type EmulatorOptions, type RunningEmulator, startEmulator } from './server.js';
export type {
  Delivery,
  DeliveryAttempt,
  DeliveryStatus,
  ReleaseOrder,
  WebhookRetryOptions,
} from './webhooks/dispatcher.js';
export { signatureHeader } from './webhooks/signature.js';
