import { describe, expect, it } from 'vitest';
import { Account } from '../account.js';
import { PLAIN_MAPS, SETS } from './snapshot.js';

describe('state snapshot', () => {
  it('covers every field of an account, so a new field cannot be silently left out of the file', () => {
    const saved = ['id', ...PLAIN_MAPS, ...SETS, 'paymentMethodState', 'idempotency'].sort();
    expect(Object.keys(new Account('acct_x')).sort()).toEqual(saved);
  });
});
