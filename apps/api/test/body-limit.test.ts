import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

interface Answer {
  readonly status: number;
  readonly body: string;
  /** Body bytes written before the answer came (the request may still be open then). */
  readonly bytesSent: number;
  /** Whether the whole body had been sent when the answer came. */
  readonly finished: boolean;
}

/**
 * POSTs `total` bytes (`Infinity`: without end) as `Transfer-Encoding: chunked`, with no
 * `Content-Length`, and stops sending as soon as the server answers.
 */
function postChunked(
  url: string,
  headers: Record<string, string>,
  total: number,
  chunk = 'x',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let finished = false;
    let answered = false;
    const piece = Buffer.alloc(16 * 1024, chunk);
    const req = request(url, { method: 'POST', headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), bytesSent, finished });
        req.destroy();
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && bytesSent < total) {
        const next = piece.subarray(0, Math.min(piece.length, total - bytesSent));
        bytesSent += next.length;
        if (!req.write(next)) return void req.once('drain', pump);
      }
      if (!answered && bytesSent >= total) {
        finished = true;
        req.end();
      }
    };
    pump();
  });
}

/** The API's limit: 1 MiB. */
const MAX_BODY_BYTES = 1024 * 1024;

describe('API request bodies are limited before they are read', () => {
  let h: Harness;
  let server: ReturnType<typeof serve>;
  let base: string;
  const auth = () => ({ authorization: `Bearer ${h.acme.apiKey}`, 'content-type': 'application/json' });
  const customerCount = async () =>
    ((await h.call('GET', '/api/v1/customers')).body as { meta: { total_count: number } }).meta.total_count;

  beforeAll(async () => {
    h = await startHarness();
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
        resolve(info.port),
      );
    });
    base = `http://127.0.0.1:${port}/api/v1`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.close();
  });

  it('413 in Lago error shape for a declared Content-Length above 1 MiB, nothing written', async () => {
    const before = await customerCount();
    const name = 'x'.repeat(MAX_BODY_BYTES);
    const res = await fetch(`${base}/customers`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ customer: { external_id: 'too_big', name } }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ status: 413, error: 'Payload Too Large', code: 'payload_too_large' });
    expect(await customerCount()).toBe(before);
  });

  it('413 for a chunked body without Content-Length once it passes 1 MiB', async () => {
    const res = await postChunked(`${base}/customers`, auth(), MAX_BODY_BYTES + 1);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({
      status: 413,
      error: 'Payload Too Large',
      code: 'payload_too_large',
    });
  });

  it('answers 413 to a chunked body that never ends, without waiting for its end', async () => {
    const before = await customerCount();
    const res = await postChunked(`${base}/customers`, auth(), Number.POSITIVE_INFINITY);
    expect(res.status).toBe(413);
    expect(res.finished).toBe(false);
    expect(await customerCount()).toBe(before);
  });

  it('reads a chunked body within the limit as usual', async () => {
    const body = JSON.stringify({
      customer: { external_id: 'chunked_ok', name: 'Chunked', currency: 'EUR' },
    });
    const res = await new Promise<Answer>((resolve, reject) => {
      const req = request(`${base}/customers`, { method: 'POST', headers: auth() }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () =>
          resolve({
            status: r.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            bytesSent: 0,
            finished: true,
          }),
        );
      });
      req.on('error', reject);
      // Three chunks, no Content-Length.
      req.write(body.slice(0, 10));
      req.write(body.slice(10, 30));
      req.end(body.slice(30));
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ customer: { external_id: 'chunked_ok', name: 'Chunked' } });
  });

  it('answers 401 to a caller without a key before reading any of its body', async () => {
    const res = await postChunked(
      `${base}/customers`,
      { 'content-type': 'application/json' },
      Number.POSITIVE_INFINITY,
    );
    expect(res.status).toBe(401);
    expect(res.finished).toBe(false);
  });
});
