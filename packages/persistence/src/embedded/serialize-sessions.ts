import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** The shape of pglite-socket 0.2.17's internal query queue that this module replaces. */
interface QueuedMessage {
  readonly handlerId: number;
  readonly message: Uint8Array;
  readonly resolve: (bytes: number) => void;
  readonly reject: (error: unknown) => void;
  readonly onData: (data: Uint8Array) => void;
}

interface QueryQueue {
  db: PGlite;
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

const SYNC = 0x53; // 'S': ends an extended-protocol query (Parse/Bind/Execute/Sync)
const QUERY = 0x51; // 'Q': a simple-protocol query, complete in one message
const TERMINATE = 0x58; // 'X'
const STARTUP = 0x00; // the startup packet begins with its length, whose first byte is 0

/**
 * pglite-socket 0.2.17 hands PGlite's single session to whichever socket sent the next protocol
 * message, keeping one socket's messages together only inside an explicit transaction. An
 * extended-protocol query is several messages (Parse, Bind, Execute, Sync), so two sockets'
 * queries interleave: measured as "unnamed prepared statement does not exist" and as a worker's
 * job completion lost. This gives the session to one socket from its first message until it is
 * idle again (after a Sync or a simple query, outside a transaction), so every query and every
 * transaction runs whole. A socket that disconnects mid-way gives the session back (rolled back).
 */
export function serializeSessions(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (queue === undefined || typeof queue.processQueue !== 'function' || !Array.isArray(queue.queue)) {
    throw new Error('pglite-socket internals changed: re-check serializeSessions against the new version');
  }
  let owner: number | null = null;

  queue.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = owner === null ? 0 : this.queue.findIndex((m) => m.handlerId === owner);
        if (index === -1) break; // the owner's next message has not arrived yet
        const [item] = this.queue.splice(index, 1);
        if (item === undefined) break;
        owner = item.handlerId;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          if (!this.db.isInTransaction()) owner = null;
          item.reject(error);
          continue;
        }
        const type = item.message[0];
        const boundary = type === SYNC || type === QUERY || type === TERMINATE || type === STARTUP;
        if (boundary && !this.db.isInTransaction()) owner = null;
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  queue.clearTransactionIfNeeded = async function clearTransactionIfNeeded(
    this: QueryQueue,
    handlerId: number,
  ): Promise<void> {
    if (owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    owner = null;
    this.lastHandlerId = null;
    await this.processQueue();
  };
}
