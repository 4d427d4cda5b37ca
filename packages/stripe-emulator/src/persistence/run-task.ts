/** Turns a saved clock task back into the work it stands for. */
import { systemCtx } from '../context.js';
import type { Emulator } from '../emulator.js';
import { expireVoucher, payVoucher } from '../resources/boleto.js';
import { expireOpenSession } from '../resources/checkout-sessions.js';
import { settle } from '../resources/payment-attempts.js';
import { finishRefund } from '../resources/refunds.js';
import type { ScheduledTask } from '../scheduled-task.js';

export function taskRunner(emu: Emulator): (task: ScheduledTask) => () => void {
  return (task) => () => {
    const account = emu.accountsById.get(task.account);
    // The account vanished only through reset(), which also drops the clock's tasks.
    if (!account) return;
    const ctx = systemCtx(emu, account);
    switch (task.kind) {
      case 'settle_payment':
        settle(ctx, task.paymentIntent, task.charge);
        return;
      case 'finish_refund':
        finishRefund(ctx, task.refund, task.fails);
        return;
      case 'expire_session':
        expireOpenSession(ctx, task.session);
        return;
      case 'pay_voucher':
        payVoucher(ctx, task.paymentIntent);
        return;
      case 'expire_voucher':
        expireVoucher(ctx, task.paymentIntent);
        return;
      default: {
        const never: never = task;
        throw new Error(`unknown clock task ${JSON.stringify(never)}`);
      }
    }
  };
}
