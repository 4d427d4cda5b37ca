function pad3(n: number): string {
  return String(n).padStart(3, '0');
}

/** Lago's per-customer numbering: `{PREFIX}-{customer seq:03}-{invoice seq:03}`. */
export function invoiceNumber(
  prefix: string,
  customerSequentialId: number,
  invoiceSequentialId: number,
): string {
  return `${prefix}-${pad3(customerSequentialId)}-${pad3(invoiceSequentialId)}`;
}

/** `{invoice number}-CN{seq:03}`. */
export function creditNoteNumber(invoiceNumber: string, sequentialId: number): string {
  return `${invoiceNumber}-CN${pad3(sequentialId)}`;
}

/** `YYYY-MM-DD` in UTC. */
export function isoDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}
