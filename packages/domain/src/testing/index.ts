export { FixedClock } from './clock.js';
export {
  type FakeCustomer,
  type FakeIntent,
  FakePaymentGateway,
  type FakePaymentPage,
  type IntentScript,
  type RefundScript,
} from './fake-payment-gateway.js';
export { expectOk, givenAddOn, givenConnection, givenInvoice, givenLinkedCustomer } from './fixtures.js';
export { SequentialIds } from './ids.js';
export { type LogEntry, MemoryLogger } from './memory-logger.js';
export { type EnqueuedJob, InMemoryStore } from './memory-store.js';
export { InMemoryUnitOfWork } from './memory-unit-of-work.js';
export { createTestContext, type TestContext } from './test-context.js';
