import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook } from './send.js';

interface EndlessReceiver {
  readonly url: string;
  /** Reply bytes the receiver managed to write before the worker dropped the connection. */
  written(): number;
  /** Resolves when the worker has closed the connection. */
  readonly dropped: Promise<void>;
  close(): Promise<void>;
}

/** A merchant's receiver that answers `status` and then streams its reply without end. */
async function endlessReceiver(status: number): Promise<EndlessReceiver> {
  let written = 0;
  let onDropped: () => void = () => {};
  const dropped = new Promise<void>((resolve) => {
    onDropped = resolve;
  });
  const piece = Buffer.alloc(16 * 1024, 'z');
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.on('close', onDropped);
    const pump = () => {
      while (!res.destroyed) {
        written += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    written: () => written,
    dropped,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('postWebhook never reads a reply', () => {
  let receiver: EndlessReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it.each([200, 500])(
    'takes the status of a %i reply that never ends and drops the connection, well before the timeout',
    async (status) => {
      receiver = await endlessReceiver(status);
      // A timeout far beyond the test's own: only dropping the reply can end this attempt in time.
      const sent = await postWebhook(
        receiver.url,
        '{}',
        {},
        {
          timeoutMs: 10 * 60_000,
          allowPrivate: ['loopback'],
        },
      );
      await receiver.dropped;
      expect(sent).toMatchObject({ succeeded: status === 200, httpStatus: status, error: null });
      // What the receiver got out before the drop is what socket buffers hold, nowhere near what
      // reading on until a timeout would take.
      expect(receiver.written()).toBeLessThan(8 * 1024 * 1024);
    },
  );
});
