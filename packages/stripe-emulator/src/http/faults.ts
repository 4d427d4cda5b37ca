/**
 * Fault injection for the next N matching API requests. "Before" faults answer without touching
 * state; "after commit" faults run the request (saving its idempotent result) and then lose the
 * response, which is how a client proves its retries are safe.
 */
import { maskKey } from './auth.js';

function publicView({ key: _key, ...fault }: StoredFault): ActiveFault {
  return { ...fault };
}

export const FAULT_KINDS = [
  'rate_limit',
  'lock_timeout',
  'conflict',
  'server_error',
  'reset',
  'latency',
  'server_error_after_commit',
  'reset_after_commit',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Path prefix to match, e.g. `/v1/payment_intents` (any when omitted). */
  path?: string;
  /** Only requests made with this secret key (any account when omitted). */
  apiKey?: string;
  /** How many matching requests get the fault (default 1). */
  count?: number;
  /** Delay for `latency` faults (default 200 ms). */
  latencyMs?: number;
}

export interface ActiveFault extends Required<Omit<FaultSpec, 'method' | 'path' | 'apiKey'>> {
  id: number;
  method: string | null;
  path: string | null;
  /** Masked: the controls never echo a whole key. */
  apiKey: string | null;
}

interface StoredFault extends ActiveFault {
  key: string | null;
}

export class FaultInjector {
  private faults: StoredFault[] = [];
  private seq = 0;

  add(spec: FaultSpec): ActiveFault {
    const fault: StoredFault = {
      id: ++this.seq,
      kind: spec.kind,
      method: spec.method ? spec.method.toUpperCase() : null,
      path: spec.path ?? null,
      apiKey: spec.apiKey ? maskKey(spec.apiKey) : null,
      key: spec.apiKey ?? null,
      count: spec.count ?? 1,
      latencyMs: spec.latencyMs ?? 200,
    };
    this.faults.push(fault);
    return publicView(fault);
  }

  list(): ActiveFault[] {
    return this.faults.map(publicView);
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes one use of the first fault matching this request. */
  take(method: string, path: string, apiKey: string): ActiveFault | undefined {
    if (this.faults.length === 0) return undefined;
    const i = this.faults.findIndex(
      (f) =>
        (f.method === null || f.method === method) &&
        (f.path === null || path.startsWith(f.path)) &&
        (f.key === null || f.key === apiKey),
    );
    if (i < 0) return undefined;
    const fault = this.faults[i] as StoredFault;
    fault.count--;
    if (fault.count <= 0) this.faults.splice(i, 1);
    return fault;
  }
}
