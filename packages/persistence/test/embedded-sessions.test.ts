import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../src/embedded/start-embedded-postgres.js';

let server: EmbeddedPostgres;
let clients: pg.Client[];

beforeAll(async () => {
  server = await startEmbeddedPostgres({ maxConnections: 8 });
  clients = await Promise.all(
    Array.from({ length: 4 }, async () => {
      const c = new pg.Client({ connectionString: server.url });
      await c.connect();
      return c;
    }),
  );
  await clients[0]?.query('create table counters (id int primary key, n int not null)');
  await clients[0]?.query('insert into counters values (1, 0)');
});
afterAll(async () => {
  await Promise.all((clients ?? []).map((c) => c.end()));
  await server?.stop();
});

describe('embedded PostgreSQL over sockets', () => {
  it('keeps each query and transaction of one socket whole while others run', async () => {
    const rounds = 60;
    const work = clients.map(async (c, ci) => {
      for (let i = 0; i < rounds; i += 1) {
        if (ci % 2 === 0) {
          // Statements of different shapes: an interleaved Parse would bind the wrong one.
          const r = await c.query('select $1::int as a, $2::text as b', [i, `c${ci}`]);
          expect(r.rows[0]).toEqual({ a: i, b: `c${ci}` });
        } else {
          await c.query('begin');
          const before = await c.query<{ n: number }>('select n from counters where id = $1', [1]);
          await c.query('update counters set n = $1 where id = $2', [(before.rows[0]?.n ?? 0) + 1, 1]);
          await c.query('commit');
        }
      }
    });
    await Promise.all(work);
    const total = await clients[0]?.query<{ n: number }>('select n from counters where id = 1');
    // Two sockets ran read-modify-write transactions; none may have lost an update.
    expect(total?.rows[0]?.n).toBe(rounds * 2);
  });

  it('rolls back and frees the session when a socket leaves inside a transaction', async () => {
    const leaving = new pg.Client({ connectionString: server.url });
    await leaving.connect();
    await leaving.query('begin');
    await leaving.query('update counters set n = -1 where id = 1');
    await leaving.end();
    const r = await clients[1]?.query<{ n: number }>('select n from counters where id = $1', [1]);
    expect(r?.rows[0]?.n).not.toBe(-1);
  });
});
