/**
 * What a state file costs: how long one save blocks the event loop (snapshot + JSON.stringify),
 * how long the whole save takes (plus the async write and rename), and how long a load takes,
 * for an account of STATE_OBJECTS stored objects (default 10,000: a quarter each customers,
 * confirmed PaymentIntents, their charges and payment methods), plus the events they emitted.
 *
 *   pnpm exec tsx bench/state-save.ts      # STATE_OBJECTS=10000 STATE_ROUNDS=5
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Ctx } from '../src/context.js';
import { Emulator } from '../src/emulator.js';
import { decodeForm } from '../src/form.js';
import { takeSnapshot } from '../src/persistence/snapshot.js';
import { StateFile } from '../src/persistence/state-file.js';
import { createCustomer } from '../src/resources/customers.js';
import { createPaymentIntent } from '../src/resources/payment-intents.js';

const OBJECTS = Number(process.env.STATE_OBJECTS ?? 10_000);
const ROUNDS = Number(process.env.STATE_ROUNDS ?? 5);

function fill(emu: Emulator): void {
  const account = emu.account('sk_test_state_bench');
  const run = (body: string, handler: (ctx: Ctx) => unknown) =>
    handler({
      emu,
      account,
      params: decodeForm(body),
      source: { requestId: 'req_bench', idempotencyKey: null },
    });
  for (let i = 0; i < OBJECTS / 4; i++) {
    run(`email=payer${i}%40example.com&name=Payer&metadata[lago_id]=c${i}`, createCustomer);
    run(
      `amount=2500&currency=usd&payment_method=pm_card_visa&confirm=true&metadata[invoice]=i${i}`,
      createPaymentIntent,
    );
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'stripe-emulator-state-bench-'));
  try {
    const emu = new Emulator();
    fill(emu);
    const account = [...emu.accountsById.values()][0];
    if (!account) throw new Error('no account');
    const stored =
      account.customers.size +
      account.paymentIntents.size +
      account.charges.size +
      account.paymentMethods.size;
    const file = join(dir, 'state.json');
    const state = new StateFile(file, emu);
    const blocking: number[] = [];
    const saves: number[] = [];
    const loads: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let t = performance.now();
      JSON.stringify(takeSnapshot(emu));
      blocking.push(performance.now() - t);
      emu.touch();
      t = performance.now();
      await state.flush();
      saves.push(performance.now() - t);
      const fresh = new Emulator();
      t = performance.now();
      await new StateFile(file, fresh).load();
      loads.push(performance.now() - t);
      if (fresh.accountsById.size !== 1) throw new Error('load lost the account');
    }
    const size = (await stat(file)).size;
    console.log(
      `${stored} stored objects (${account.customers.size} customers, ${account.paymentIntents.size} payment intents, ` +
        `${account.charges.size} charges, ${account.paymentMethods.size} payment methods) + ${account.events.size} events`,
    );
    console.log(`file ${(size / 1024 / 1024).toFixed(1)} MiB; median of ${ROUNDS} rounds:`);
    console.log(`  event loop blocked per save (snapshot + stringify) ${median(blocking).toFixed(1)} ms`);
    console.log(`  whole save (+ write temp file + rename)              ${median(saves).toFixed(1)} ms`);
    console.log(`  load (read + parse + rebuild)                        ${median(loads).toFixed(1)} ms`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
