/**
 * Tokenizer for the Logging Search query-language subset (see logging-search-query.ts).
 */
import { QuerySyntaxError } from "./query-syntax-error.js";
import { tokenize } from "./tokenize.js";

/**
 * `name` is a bare identifier, `quoted` a double-quoted identifier or log stream (`""` escapes
 * a double quote), `string` a single-quoted literal (`\'`, `\\` or `''` escape a quote).
 */
export type LogTokenKind = "name" | "quoted" | "string" | "number" | "symbol" | "eof";

export type LogToken = {
  readonly kind: LogTokenKind;
  readonly text: string;
  readonly value: string;
  readonly position: number;
};

const SYMBOLS = ["!=", "=", "|", "(", ")", ",", "."] as const;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?\d+(?:\.\d+)?(?![A-Za-z0-9_])/y;

/** Splits a query into tokens, ending with one `eof` token; throws QuerySyntaxError on bad input. */
export function tokenizeLogQuery(text: string): LogToken[] {
  return tokenize(text, readToken, (position) => ({ kind: "eof", text: "", value: "", position }));
}

function readToken(text: string, i: number, ch: string): LogToken {
  if (ch === '"') return readQuoted(text, i);
  if (ch === "'") return readString(text, i);
  const number = matchAt(NUMBER, text, i);
  if (number !== null) return { kind: "number", text: number, value: number, position: i };
  const name = matchAt(NAME, text, i);
  if (name !== null) return { kind: "name", text: name, value: name, position: i };
  const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
  if (symbol !== undefined) return { kind: "symbol", text: symbol, value: symbol, position: i };
  const hint = /[<>~]/.test(ch) ? "; the simulator supports only = and != comparisons" : "";
  throw new QuerySyntaxError(`Unexpected character '${ch}'${hint}`, i);
}

function matchAt(pattern: RegExp, text: string, i: number): string | null {
  pattern.lastIndex = i;
  const m = pattern.exec(text);
  return m === null ? null : m[0];
}

function readQuoted(text: string, start: number): LogToken {
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === '"') {
      if (text.charAt(i + 1) !== '"') {
        return { kind: "quoted", text: text.slice(start, i + 1), value, position: start };
      }
      i += 1;
    }
    value += ch;
    i += 1;
  }
  throw new QuerySyntaxError(`Unterminated double-quoted name starting with "`, start);
}

function readString(text: string, start: number): LogToken {
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === "\\" && i + 1 < text.length) {
      value += text.charAt(i + 1);
      i += 2;
      continue;
    }
    if (ch === "'") {
      if (text.charAt(i + 1) !== "'") {
        return { kind: "string", text: text.slice(start, i + 1), value, position: start };
      }
      i += 1;
    }
    value += ch;
    i += 1;
  }
  throw new QuerySyntaxError("Unterminated string literal starting with '", start);
}
