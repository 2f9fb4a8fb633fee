/**
 * Orders text by UTF-16 code units (what `<` does on strings), never by a database collation or
 * the locale: a pack, a snapshot listing or an inventory must come out in the same order on SQLite
 * and PostgreSQL and on every host.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
