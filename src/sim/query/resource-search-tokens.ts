/**
 * Tokenizer for OCI Resource Search structured queries (see resource-search-query.ts for the grammar).
 */
import { QuerySyntaxError } from "./query-syntax-error.js";
import { tokenize } from "./tokenize.js";

export type ResourceTokenKind = "word" | "string" | "number" | "date" | "symbol" | "eof";

/** One token; `text` is the source slice, `value` the decoded string literal. */
export type ResourceToken = {
  readonly kind: ResourceTokenKind;
  readonly text: string;
  readonly value: string;
  readonly position: number;
};

// Longest first, so "&&" wins over a lone "&" and ">=" over ">".
const SYMBOLS = ["&&", "||", "=~", "!~", "!=", ">=", "<=", "=", ">", "<", "(", ")", ","] as const;

const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const DATE = /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;

/** Splits a query into tokens, ending with one `eof` token; throws QuerySyntaxError on bad input. */
export function tokenizeResourceQuery(text: string): ResourceToken[] {
  return tokenize(text, readToken, (position) => ({ kind: "eof", text: "", value: "", position }));
}

function readToken(text: string, i: number, ch: string): ResourceToken {
  if (ch === "'" || ch === '"') return readString(text, i, ch);
  const date = matchAt(DATE, text, i);
  // A date must not run straight into more word characters ("2024-01-01abc").
  if (date !== null && !/[A-Za-z0-9_]/.test(text.charAt(i + date.length))) {
    return { kind: "date", text: date, value: date, position: i };
  }
  const number = matchAt(NUMBER, text, i);
  if (number !== null) return { kind: "number", text: number, value: number, position: i };
  const word = matchAt(WORD, text, i);
  if (word !== null) return { kind: "word", text: word, value: word, position: i };
  const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
  if (symbol !== undefined) return { kind: "symbol", text: symbol, value: symbol, position: i };
  const hint = ch === "&" ? "; use '&&'" : ch === "|" ? "; use '||'" : "";
  throw new QuerySyntaxError(`Unexpected character '${ch}'${hint}`, i);
}

function matchAt(pattern: RegExp, text: string, i: number): string | null {
  pattern.lastIndex = i;
  const m = pattern.exec(text);
  return m === null ? null : m[0];
}

/** Reads a quoted literal; a backslash escapes the next character (`\'`, `\"`, `\\`). */
function readString(text: string, start: number, quote: string): ResourceToken {
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === "\\") {
      if (i + 1 >= text.length) break;
      value += text.charAt(i + 1);
      i += 2;
      continue;
    }
    if (ch === quote) {
      return { kind: "string", text: text.slice(start, i + 1), value, position: start };
    }
    value += ch;
    i += 1;
  }
  throw new QuerySyntaxError(`Unterminated string literal starting with ${quote}`, start);
}
