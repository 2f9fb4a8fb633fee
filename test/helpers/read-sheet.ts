/**
 * Reads an evidence.xlsx sheet back with exceljs, for tests that compare cells with the store:
 * dates as ISO UTC strings, numbers as numbers, text as its text (inline strings read back as rich
 * text), empty cells as null.
 * @throws Error when the sheet does not exist.
 */
import ExcelJS from "exceljs";

/** Every row of `name`, header included, as cell values. */
export async function readSheet(file: string, name: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name} in ${file}`);
  const all: unknown[][] = [];
  ws.eachRow((row) => {
    const cells: unknown[] = [];
    row.eachCell({ includeEmpty: true }, (cell) =>
      cells.push(cell.value instanceof Date ? cell.value.toISOString() : typeof cell.value === "number" ? cell.value : cell.value === null ? null : cell.text),
    );
    all.push(cells);
  });
  return all;
}

/** The rows of `name` below its header, as objects keyed by the header's cells. */
export async function readSheetRecords(file: string, name: string): Promise<{ header: string[]; rows: Record<string, unknown>[] }> {
  const all = await readSheet(file, name);
  const header = (all[0] ?? []) as string[];
  return { header, rows: all.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? null]))) };
}
