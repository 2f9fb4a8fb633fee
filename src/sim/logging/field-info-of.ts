/**
 * The `fields` of a SearchLogs response (`isReturnFieldInfo: true`): every leaf path of the
 * returned records in dot notation with OCI's field types (STRING, NUMBER, BOOLEAN, ARRAY), in
 * first-seen order. Null values tell nothing about a type and are skipped.
 */

export type FieldType = "STRING" | "NUMBER" | "BOOLEAN" | "ARRAY";

export interface FieldInfo {
  fieldName: string;
  fieldType: FieldType;
}

/** Field infos of `records` (CloudEvents 1.0 audit records). */
export function fieldInfoOf(records: readonly unknown[]): FieldInfo[] {
  const found = new Map<string, FieldType>();
  const walk = (value: unknown, path: string): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      if (!found.has(path)) found.set(path, "ARRAY");
      return;
    }
    if (typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
      return;
    }
    const type: FieldType = typeof value === "number" ? "NUMBER" : typeof value === "boolean" ? "BOOLEAN" : "STRING";
    if (!found.has(path)) found.set(path, type);
  };
  for (const record of records) walk(record, "");
  return [...found].map(([fieldName, fieldType]) => ({ fieldName, fieldType }));
}
