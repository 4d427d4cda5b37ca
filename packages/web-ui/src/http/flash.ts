import type { Context } from 'hono';
import { clearCookie, FLASH_COOKIE, readCookie, writeCookie } from './cookies.js';

export interface Flash {
  readonly notice?: string;
  readonly error?: string;
  /** A freshly generated checkout link and when it stops working (ISO). */
  readonly checkout?: { readonly customer: string; readonly url: string; readonly expiresAt: string };
  /** An invoice's payment link and when its page stops taking payments (ISO). */
  readonly paymentLink?: { readonly invoice: string; readonly url: string; readonly expiresAt: string };
}

/** Short-lived: a flash that is never shown must not resurface later. */
const FLASH_SECONDS = 120;

export function setFlash(c: Context, base: string, flash: Flash): void {
  writeCookie(c, FLASH_COOKIE, encodeURIComponent(JSON.stringify(flash)), base, FLASH_SECONDS);
}

/** Reads and clears the flash; anything malformed is dropped rather than shown. */
export function takeFlash(c: Context, base: string): Flash {
  const raw = readCookie(c, FLASH_COOKIE);
  if (!raw) return {};
  clearCookie(c, FLASH_COOKIE, base);
  try {
    const value = JSON.parse(decodeURIComponent(raw)) as unknown;
    if (!value || typeof value !== 'object') return {};
    const v = value as Record<string, unknown>;
    const flash: {
      notice?: string;
      error?: string;
      checkout?: Flash['checkout'];
      paymentLink?: Flash['paymentLink'];
    } = {};
    if (typeof v.notice === 'string') flash.notice = v.notice;
    if (typeof v.error === 'string') flash.error = v.error;
    const co = v.checkout as Record<string, unknown> | undefined;
    if (
      co &&
      typeof co.customer === 'string' &&
      typeof co.url === 'string' &&
      /^https?:\/\//.test(co.url) &&
      typeof co.expiresAt === 'string'
    ) {
      flash.checkout = { customer: co.customer, url: co.url, expiresAt: co.expiresAt };
    }
    const pl = v.paymentLink as Record<string, unknown> | undefined;
    if (
      pl &&
      typeof pl.invoice === 'string' &&
      typeof pl.url === 'string' &&
      /^https?:\/\//.test(pl.url) &&
      typeof pl.expiresAt === 'string'
    ) {
      flash.paymentLink = { invoice: pl.invoice, url: pl.url, expiresAt: pl.expiresAt };
    }
    return flash;
  } catch {
    return {};
  }
}
