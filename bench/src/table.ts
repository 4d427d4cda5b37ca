/** The one table `pnpm bench` prints. */
export interface Row {
  readonly figure: string;
  readonly value: number;
  readonly reference: string;
  /** Figure over reference; null where the goal is absolute. */
  readonly ratio: number | null;
  readonly goal: string;
  /** Null where there is no goal, only a figure to report. */
  readonly met: boolean | null;
  /** Answers that were not 2xx, or errors, during the measurement. */
  readonly refused?: number;
}

function formatValue(value: number): string {
  return value >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1);
}

export function printTable(rows: readonly Row[], options: { readonly title: string }): void {
  const header = ['figure', 'value', 'reference', 'ratio', 'goal', 'met'];
  const cells = rows.map((r) => [
    r.figure + (r.refused ? ` (${r.refused} not 2xx)` : ''),
    formatValue(r.value),
    r.reference,
    r.ratio === null ? '' : `${r.ratio.toFixed(2)}×`,
    r.goal,
    r.met === null ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) =>
    `| ${c.map((v, i) => (i === 1 || i === 3 ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  console.log(options.title);
  console.log(line(header));
  console.log(
    `|${widths.map((w, i) => (i === 1 || i === 3 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
  );
  for (const c of cells) console.log(line(c));
}
