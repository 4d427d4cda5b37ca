import type { Organization } from '../model/organization.js';
import type { UseCaseContext } from '../use-cases/steps/use-case-context.js';
import { FixedClock } from './clock.js';
import { FakePaymentGateway } from './fake-payment-gateway.js';
import { SequentialIds } from './ids.js';
import { MemoryLogger } from './memory-logger.js';
import { InMemoryStore } from './memory-store.js';
import { InMemoryUnitOfWork } from './memory-unit-of-work.js';

export interface TestContext {
  readonly ctx: UseCaseContext;
  readonly store: InMemoryStore;
  readonly gateway: FakePaymentGateway;
  readonly clock: FixedClock;
  readonly ids: SequentialIds;
  readonly logger: MemoryLogger;
  /** The seeded organization every helper uses. */
  readonly organization: Organization;
}

/** Everything a use case needs, in memory, with one organization already present. */
export function createTestContext(options: { now?: Date; publicBaseUrl?: string } = {}): TestContext {
  const store = new InMemoryStore();
  const gateway = new FakePaymentGateway();
  const clock = new FixedClock(options.now);
  gateway.now = () => clock.now();
  const ids = new SequentialIds();
  const logger = new MemoryLogger();
  const now = clock.now();
  const organization: Organization = {
    id: ids.next('organization'),
    name: 'Acme',
    documentNumberPrefix: 'ACM-1234',
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  store.organizations.set(organization.id, organization);
  const ctx: UseCaseContext = {
    uow: new InMemoryUnitOfWork(store),
    gateways: gateway.factory(),
    clock,
    ids,
    settings: { publicBaseUrl: options.publicBaseUrl ?? 'https://payrail.test' },
    logger,
  };
  return { ctx, store, gateway, clock, ids, logger, organization };
}
