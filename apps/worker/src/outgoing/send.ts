import { readCapped } from './read-capped.js';

export interface SendResult {
  readonly succeeded: boolean;
  readonly httpStatus: number | null;
  readonly responseExcerpt: string | null;
  readonly error: string | null;
  readonly durationMs: number;
}

/** Lago counts exactly these as delivered. */
const SUCCESS = new Set([200, 201, 202, 204]);
const EXCERPT_BYTES = 500;
/** Of a receiver's reply, only this much is read; then the connection is dropped. */
export const REPLY_CAP_BYTES = 64 * 1024;

/** One POST; never throws: a network error or timeout is a failed attempt like a 500. */
export async function postWebhook(
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<SendResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'User-Agent': 'Payrail-Webhooks', ...headers },
      signal: signal === undefined ? timeout : AbortSignal.any([timeout, signal]),
      redirect: 'manual',
    });
    // The status decides; a body cut short (timeout, reset) still leaves the status standing.
    const reply = await readCapped(res.body, REPLY_CAP_BYTES).catch(() => null);
    const text = reply === null ? '' : new TextDecoder().decode(reply.bytes);
    return {
      succeeded: SUCCESS.has(res.status),
      httpStatus: res.status,
      responseExcerpt: text.length === 0 ? null : text.slice(0, EXCERPT_BYTES),
      error: reply?.overCap ? `reply longer than ${REPLY_CAP_BYTES} bytes: the rest was not read` : null,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    const message = timeout.aborted ? `timeout after ${timeoutMs} ms` : describe(error);
    return {
      succeeded: false,
      httpStatus: null,
      responseExcerpt: null,
      error: message,
      durationMs: Math.round(performance.now() - started),
    };
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
