/**
 * The subset of the OCI Logging query language keyproof needs: parser and AST.
 *
 * Grammar (EBNF; keywords are case-insensitive, white space is ignored):
 *
 *   query      = "search" stream { [ "," ] stream } { "|" command } ;
 *   stream     = '"' compartment-ocid [ "/" log-group [ "/" log ] ] '"' ;
 *   command    = "where" or-cond
 *              | "sort" "by" "datetime" [ "asc" | "desc" ]
 *              | or-cond ;                               (* a bare filter, as OCI accepts *)
 *   or-cond    = and-cond { "or" and-cond } ;
 *   and-cond   = unary { "and" unary } ;                 (* not > and > or *)
 *   unary      = "not" unary | primary ;
 *   primary    = "(" or-cond ")" | comparison ;
 *   comparison = field ( "=" | "!=" ) literal ;
 *   field      = identifier { "." identifier } ;
 *   identifier = letter-or-underscore { letter | digit | "_" }
 *              | '"' { any-but-quote | '""' } '"' ;     (* "data.message" is ONE name *)
 *   literal    = "'" { any-but-quote | "\" any | "''" } "'" | number ;
 *
 * The log group `_Audit_Include_Subcompartment` is read as `_Audit` with
 * `includeSubcompartments: true`. Several filters are combined with `and`. Other commands of
 * OCI's language (select, summarize, limit, ...) are rejected as unsupported.
 */
import { describeToken, QuerySyntaxError } from "./query-syntax-error.js";
import { type LogToken, tokenizeLogQuery } from "./logging-search-tokens.js";

export { QuerySyntaxError } from "./query-syntax-error.js";
export { logRecordComparator, matchesLogRecord } from "./logging-search-match.js";

export const AUDIT_LOG_GROUP = "_Audit";
const AUDIT_WITH_SUBCOMPARTMENTS = "_Audit_Include_Subcompartment";

/** One log stream of the search clause. */
export type LogSource = {
  readonly compartmentId: string;
  /** `_Audit` for both audit forms; null when the stream names only a compartment. */
  readonly logGroup: string | null;
  readonly log: string | null;
  readonly includeSubcompartments: boolean;
  readonly position: number;
};

export type LogComparison = {
  readonly kind: "comparison";
  /** Path segments as written (quoted names may contain dots). */
  readonly field: readonly string[];
  readonly operator: "=" | "!=";
  readonly value: { readonly kind: "string"; readonly value: string } | { readonly kind: "number"; readonly value: number };
  readonly position: number;
};

export type LogCondition =
  | LogComparison
  | { readonly kind: "and"; readonly operands: readonly LogCondition[] }
  | { readonly kind: "or"; readonly operands: readonly LogCondition[] }
  | { readonly kind: "not"; readonly operand: LogCondition };

export type LogSort = { readonly field: "datetime"; readonly order: "asc" | "desc" };

export type LogQuery = {
  readonly sources: readonly LogSource[];
  /** All filters of the query and-ed together; null when there is none. */
  readonly filter: LogCondition | null;
  /** Null when the query has no sort command. */
  readonly sort: LogSort | null;
};

const UNSUPPORTED_COMMANDS = new Set([
  "select", "summarize", "limit", "eval", "rename", "dedup", "head", "tail", "top", "bottom",
  "count", "distinct", "timestats", "stats", "fields", "rare", "link", "cluster",
]);

/** Parses a Logging Search query; throws QuerySyntaxError (with `position`) on any syntax error. */
export function parseLogQuery(text: string): LogQuery {
  return new LogQueryParser(tokenizeLogQuery(text)).parseQuery();
}

class LogQueryParser {
  private index = 0;

  constructor(private readonly tokens: readonly LogToken[]) {}

  parseQuery(): LogQuery {
    this.expectKeyword("search");
    const sources = [this.parseSource()];
    while (this.peek().kind === "quoted" || this.isSymbol(",")) {
      this.acceptSymbol(",");
      sources.push(this.parseSource());
    }
    const filters: LogCondition[] = [];
    let sort: LogSort | null = null;
    while (this.acceptSymbol("|")) {
      if (this.acceptKeyword("where")) {
        filters.push(this.parseOr());
      } else if (this.isKeyword("sort") && !isFieldContinuation(this.peek(1))) {
        sort = this.parseSort();
      } else {
        this.rejectUnsupportedCommand();
        filters.push(this.parseOr());
      }
    }
    const end = this.peek();
    if (end.kind !== "eof") throw this.unexpected(end, "'|' or end of query");
    const filter = filters.length === 0 ? null : filters.length === 1 ? (filters[0] as LogCondition) : { kind: "and" as const, operands: filters };
    return { sources, filter, sort };
  }

  private parseSource(): LogSource {
    const token = this.next();
    if (token.kind !== "quoted") throw this.unexpected(token, 'a double-quoted log stream "<compartmentOcid>[/<logGroup>[/<log>]]"');
    const parts = token.value.split("/");
    if (parts.length > 3 || parts.some((p) => p.trim() === "")) {
      throw new QuerySyntaxError(`Invalid log stream ${describeToken(token.value)}; expected "<compartmentOcid>[/<logGroup>[/<log>]]"`, token.position);
    }
    const [compartmentId, group, log] = parts as [string, string | undefined, string | undefined];
    const includeSubcompartments = group === AUDIT_WITH_SUBCOMPARTMENTS;
    return {
      compartmentId,
      logGroup: includeSubcompartments ? AUDIT_LOG_GROUP : (group ?? null),
      log: log ?? null,
      includeSubcompartments,
      position: token.position,
    };
  }

  private parseSort(): LogSort {
    this.expectKeyword("sort");
    this.expectKeyword("by");
    const field = this.next();
    if (field.kind !== "name" || field.text.toLowerCase() !== "datetime") {
      throw this.unexpected(field, "'datetime' (the simulator sorts by datetime only)");
    }
    if (this.acceptKeyword("desc")) return { field: "datetime", order: "desc" };
    this.acceptKeyword("asc");
    return { field: "datetime", order: "asc" };
  }

  private rejectUnsupportedCommand(): void {
    const token = this.peek();
    if (token.kind === "name" && UNSUPPORTED_COMMANDS.has(token.text.toLowerCase()) && !isFieldContinuation(this.peek(1))) {
      throw new QuerySyntaxError(`Unsupported command '${token.text}'; the simulator supports where and sort by datetime`, token.position);
    }
  }

  private parseOr(): LogCondition {
    const operands = [this.parseAnd()];
    while (this.acceptKeyword("or")) operands.push(this.parseAnd());
    return operands.length === 1 ? (operands[0] as LogCondition) : { kind: "or", operands };
  }

  private parseAnd(): LogCondition {
    const operands = [this.parseUnary()];
    while (this.acceptKeyword("and")) operands.push(this.parseUnary());
    return operands.length === 1 ? (operands[0] as LogCondition) : { kind: "and", operands };
  }

  private parseUnary(): LogCondition {
    // "not" followed by "=" / "!=" is a field called "not", not the operator.
    if (this.isKeyword("not") && !isFieldContinuation(this.peek(1))) {
      this.index += 1;
      return { kind: "not", operand: this.parseUnary() };
    }
    if (this.acceptSymbol("(")) {
      const inner = this.parseOr();
      this.expectSymbol(")");
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): LogComparison {
    const start = this.peek().position;
    const field = [this.parseIdentifier()];
    while (this.acceptSymbol(".")) field.push(this.parseIdentifier());
    const op = this.next();
    if (op.kind !== "symbol" || (op.text !== "=" && op.text !== "!=")) throw this.unexpected(op, "'=' or '!='");
    const literal = this.next();
    if (literal.kind === "string") {
      return { kind: "comparison", field, operator: op.text, value: { kind: "string", value: literal.value }, position: start };
    }
    if (literal.kind === "number") {
      return { kind: "comparison", field, operator: op.text, value: { kind: "number", value: Number(literal.text) }, position: start };
    }
    const hint = literal.kind === "quoted" ? " (string values take single quotes; double quotes name a field)" : "";
    throw this.unexpected(literal, `a single-quoted string or a number${hint}`);
  }

  private parseIdentifier(): string {
    const token = this.next();
    if (token.kind !== "name" && token.kind !== "quoted") throw this.unexpected(token, "a field name or '('");
    return token.value;
  }

  private peek(ahead = 0): LogToken {
    const tokens = this.tokens;
    return (tokens[this.index + ahead] ?? tokens[tokens.length - 1]) as LogToken;
  }

  private next(): LogToken {
    const token = this.peek();
    if (token.kind !== "eof") this.index += 1;
    return token;
  }

  private isKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.kind === "name" && token.text.toLowerCase() === keyword;
  }

  private acceptKeyword(keyword: string): boolean {
    if (!this.isKeyword(keyword)) return false;
    this.index += 1;
    return true;
  }

  private expectKeyword(keyword: string): void {
    if (!this.acceptKeyword(keyword)) throw this.unexpected(this.peek(), `'${keyword}'`);
  }

  private isSymbol(symbol: string): boolean {
    const token = this.peek();
    return token.kind === "symbol" && token.text === symbol;
  }

  private acceptSymbol(symbol: string): boolean {
    if (!this.isSymbol(symbol)) return false;
    this.index += 1;
    return true;
  }

  private expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) throw this.unexpected(this.peek(), `'${symbol}'`);
  }

  private unexpected(token: LogToken, expected: string): QuerySyntaxError {
    const found = token.kind === "eof" ? "Unexpected end of query" : `Unexpected token ${describeToken(token.text)}`;
    return new QuerySyntaxError(`${found}; expected ${expected}`, token.position);
  }
}

/** True when the token after a keyword-like name shows the name is a field (`sort = 'x'`). */
function isFieldContinuation(token: LogToken): boolean {
  return token.kind === "symbol" && (token.text === "=" || token.text === "!=" || token.text === ".");
}
