/**
 * What a delayed outcome on the emulator clock will do, as data, so pending outcomes survive a
 * restart: a state file stores these and rebuilds the closures from them.
 */
export type ScheduledTask =
  | { kind: 'settle_payment'; account: string; paymentIntent: string; charge: string }
  | { kind: 'finish_refund'; account: string; refund: string; fails: boolean }
  | { kind: 'expire_session'; account: string; session: string }
  | { kind: 'pay_voucher'; account: string; paymentIntent: string }
  | { kind: 'expire_voucher'; account: string; paymentIntent: string };

export interface PendingTask {
  /** Emulator-clock unix seconds. */
  due: number;
  task: ScheduledTask;
}
