import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { serializeSessions } from './serialize-sessions.js';

export interface EmbeddedPostgresOptions {
  /** Directory that keeps the data across restarts; `undefined` keeps everything in memory. */
  readonly dataDir?: string | undefined;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /**
   * Sockets the server accepts. Every socket shares PGlite's single session, and a socket beyond
   * the cap is reset, so this must cover every pool that connects (ORM + queue + benchmarks).
   */
  readonly maxConnections?: number;
}

export interface EmbeddedPostgres {
  /** A normal `postgresql://` URL any driver (pg, knex, MikroORM, pg-boss) can use. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL without a server install: PGlite (Postgres compiled to WASM) in this process, exposed
 * over TCP by pglite-socket so the ordinary `pg` driver connects. One backend serves all sockets
 * one query or transaction at a time (see `serializeSessions`): keep transactions short and never
 * wait on another connection inside one.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 8,
  });
  serializeSessions(server);
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    url: `postgresql://postgres:postgres@${server.getServerConn()}/postgres`,
    stop() {
      stopped ??= (async () => {
        await server.stop();
        await db.close();
      })();
      return stopped;
    },
  };
}
