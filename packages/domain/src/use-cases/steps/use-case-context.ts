import type { DomainError } from '../../errors.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { Logger } from '../../ports/logger.js';
import type { PaymentGatewayFactory } from '../../ports/payment-gateway.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Result } from '../../result.js';

export interface DomainSettings {
  /** Public base URL Stripe can reach; webhook endpoints are `{base}/webhooks/stripe/{org}?code={code}`. */
  readonly publicBaseUrl: string;
}

/** What every use case receives; built once per app in its composition root. */
export interface UseCaseContext {
  readonly uow: UnitOfWork;
  readonly gateways: PaymentGatewayFactory;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly settings: DomainSettings;
  readonly logger?: Logger;
}

export interface UseCaseArgs<I> {
  readonly ctx: UseCaseContext;
  readonly input: I;
}

export type UseCase<I, O> = (args: UseCaseArgs<I>) => Promise<Result<O, DomainError>>;
