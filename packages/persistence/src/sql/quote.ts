/** Quotes an SQL identifier (schema or table name) for interpolation into a statement. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
