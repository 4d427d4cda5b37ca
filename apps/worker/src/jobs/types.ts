import type { JobCatalog, JobName } from '@payrail/domain';
import type { JobOutcome } from './outcome.js';

/** One claimed job, as the queue hands it over. */
export interface WorkerJob<P> {
  readonly id: string;
  readonly payload: P;
  /** 1 on the first run, 2 on the first retry, ... */
  readonly attempt: number;
  /** Aborted when a graceful stop runs out of time; the job then runs again later. */
  readonly signal: AbortSignal;
}

export type JobHandler<P> = (job: WorkerJob<P>) => Promise<JobOutcome>;

export type CatalogHandlers = { readonly [K in JobName]: JobHandler<Readonly<JobCatalog[K]>> };
