import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormSession, text } from './browser-session.js';
import { startUiHarness, type UiHarness } from './harness.js';

/** The UI's form limit: 32 KB. */
const MAX_FORM_BYTES = 32 * 1024;

interface Answer {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: string;
  /** Whether the whole body had been sent when the answer came. */
  readonly finished: boolean;
}

/**
 * POSTs a form of `total` bytes (`Infinity`: without end) as `Transfer-Encoding: chunked`, with no
 * `Content-Length`, and stops sending as soon as the server answers.
 */
function postChunked(url: string, headers: Record<string, string>, total: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let finished = false;
    let answered = false;
    const piece = Buffer.from(`a=${'x'.repeat(16 * 1024)}&`);
    const req = request(url, { method: 'POST', headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          location: res.headers.location,
          body: Buffer.concat(chunks).toString(),
          finished,
        });
        req.destroy();
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < total) {
        const next = piece.subarray(0, Math.min(piece.length, total - sent));
        sent += next.length;
        if (!req.write(next)) return void req.once('drain', pump);
      }
      if (!answered && sent >= total) {
        finished = true;
        req.end();
      }
    };
    pump();
  });
}

describe('web UI form bodies: the session first, then a limit, then the form', () => {
  let h: UiHarness;
  let server: ReturnType<typeof serve>;
  let origin: string;
  /** A signed-in browser talking to the UI over real HTTP. */
  let browser: FormSession;
  const form = 'application/x-www-form-urlencoded';
  const addOnCodes = async () => {
    const res = await h.app.request('/api/v1/add_ons', { headers: { authorization: `Bearer ${h.apiKey}` } });
    return ((await res.json()) as { add_ons: { code: string }[] }).add_ons.map((a) => a.code);
  };
  const cookieHeader = () => [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

  beforeAll(async () => {
    h = await startUiHarness();
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
        resolve(info.port),
      );
    });
    origin = `http://127.0.0.1:${port}`;
    browser = new FormSession(
      { request: (url, init) => fetch(url, { ...init, redirect: 'manual' }) },
      origin,
    );
    await browser.get('/ui/sign-in');
    expect((await browser.post('/ui/sign-in', { api_key: h.apiKey })).status).toBe(303);
    await browser.get('/ui/add-ons');
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.close();
  });

  it('413 for a signed-in form whose Content-Length is above the limit, nothing created', async () => {
    const res = await browser.post('/ui/add-ons', {
      name: 'Huge',
      code: 'huge_declared',
      amount: '1.00',
      currency: 'EUR',
      description: 'x'.repeat(MAX_FORM_BYTES),
    });
    expect(res.status).toBe(413);
    expect(text(res.html)).toContain('This form is too large');
    expect(await addOnCodes()).not.toContain('huge_declared');
  });

  it('413 for a signed-in chunked form without Content-Length once it passes the limit', async () => {
    const headers = { 'content-type': form, cookie: cookieHeader(), origin };
    const res = await postChunked(`${origin}/ui/add-ons`, headers, MAX_FORM_BYTES + 1);
    expect(res.status).toBe(413);
    const endless = await postChunked(`${origin}/ui/add-ons`, headers, Number.POSITIVE_INFINITY);
    expect(endless.status).toBe(413);
    expect(endless.finished).toBe(false);
  });

  it('sends a visitor without a session to sign in without reading the body', async () => {
    const res = await postChunked(
      `${origin}/ui/add-ons`,
      { 'content-type': form, origin },
      Number.POSITIVE_INFINITY,
    );
    expect(res.status).toBe(303);
    expect(res.location).toBe('/ui/sign-in');
    // The answer came while the body was still being sent: nothing waited for its end.
    expect(res.finished).toBe(false);
  });

  it('limits the public sign-in form too', async () => {
    const res = await postChunked(
      `${origin}/ui/sign-in`,
      { 'content-type': form, origin },
      Number.POSITIVE_INFINITY,
    );
    expect(res.status).toBe(413);
    expect(res.finished).toBe(false);
    const declared = await fetch(`${origin}/ui/sign-in`, {
      method: 'POST',
      headers: { 'content-type': form, origin },
      body: `api_key=${'x'.repeat(MAX_FORM_BYTES)}`,
      redirect: 'manual',
    });
    expect(declared.status).toBe(413);
  });

  it('takes a signed-in form within the limit, sent in chunks', async () => {
    const body = new URLSearchParams({
      _csrf: browser.csrf,
      name: 'Chunked setup',
      code: 'chunked_setup',
      amount: '12.50',
      currency: 'EUR',
    }).toString();
    const res = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${origin}/ui/add-ons`,
        { method: 'POST', headers: { 'content-type': form, cookie: cookieHeader(), origin } },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 20));
      req.end(body.slice(20));
    });
    expect(res).toBe(303);
    expect(await addOnCodes()).toContain('chunked_setup');
  });
});
