/**
 * OCI Resource Search structured queries: parser and AST.
 *
 * Grammar (EBNF; keywords and resource types are case-insensitive, white space is ignored):
 *
 *   query       = "query" types "resources" [ "where" or-cond ] [ "sorted" "by" field [ order ] ] ;
 *   types       = "all" | type { "," type } ;
 *   or-cond     = and-cond { "||" and-cond } ;
 *   and-cond    = primary { "&&" primary } ;           (* && binds tighter than || *)
 *   primary     = "(" or-cond ")" | comparison ;
 *   comparison  = field operator value ;
 *   operator    = "=" | "!=" | ">=" | "<=" | ">" | "<" | "=~" | "!~" ;
 *   value       = string | number | date ;
 *   string      = "'" { char | "\" any } "'" | '"' { char | "\" any } '"' ;
 *   number      = [ "-" ] digit { digit } [ "." digit { digit } ] ;
 *   date        = YYYY "-" MM "-" DD [ "T" hh ":" mm [ ":" ss [ "." fraction ] ] [ "Z" | offset ] ] ;
 *   field       = name { "." name } ;                   (* case-insensitive *)
 *   order       = "asc" | "desc" ;
 *   type, name  = letter-or-underscore { letter | digit | "_" } ;
 *
 * Tag fields are `freeformTags.key|value` and `definedTags.namespace|key|value` (also
 * `systemTags.namespace|key|value`); see resource-search-match.ts for the same-tag rule.
 * The `return` and `matching` clauses of OCI's language are rejected as unsupported.
 */
import { describeToken, QuerySyntaxError } from "./query-syntax-error.js";
import { type ResourceToken, tokenizeResourceQuery } from "./resource-search-tokens.js";

export { QuerySyntaxError } from "./query-syntax-error.js";
export {
  matchesResource,
  resourceComparator,
  type ResourceSummaryLike,
} from "./resource-search-match.js";

export type ComparisonOperator = "=" | "!=" | ">=" | "<=" | ">" | "<" | "=~" | "!~";

/** A literal: quoted text, a bare number, or a bare ISO date / date-time. */
export type QueryValue =
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "date"; readonly value: string };

export type TagKind = "freeformTags" | "definedTags" | "systemTags";
export type TagAttribute = "namespace" | "key" | "value";

/** `field` is as written; `path` its lower-cased segments; `tag` set for tag fields. */
export type ResourceComparison = {
  readonly kind: "comparison";
  readonly field: string;
  readonly path: readonly string[];
  readonly tag: { readonly kind: TagKind; readonly attribute: TagAttribute } | null;
  readonly operator: ComparisonOperator;
  readonly value: QueryValue;
  readonly position: number;
};

/** `and`/`or` keep their operands flat per nesting level; parentheses start a new node. */
export type ResourceCondition =
  | ResourceComparison
  | { readonly kind: "and"; readonly operands: readonly ResourceCondition[] }
  | { readonly kind: "or"; readonly operands: readonly ResourceCondition[] };

export type SortOrder = "asc" | "desc";

export type ResourceQuery = {
  /** Lower-cased resource types, or "all". */
  readonly resourceTypes: readonly string[] | "all";
  readonly where: ResourceCondition | null;
  readonly sort: { readonly field: string; readonly order: SortOrder } | null;
};

const OPERATORS: readonly string[] = ["=", "!=", ">=", "<=", ">", "<", "=~", "!~"];
const TAG_ATTRIBUTES: Record<TagKind, readonly TagAttribute[]> = {
  freeformTags: ["key", "value"],
  definedTags: ["namespace", "key", "value"],
  systemTags: ["namespace", "key", "value"],
};

/** Parses a structured query; throws QuerySyntaxError (with `position`) on any syntax error. */
export function parseResourceQuery(text: string): ResourceQuery {
  return new ResourceQueryParser(tokenizeResourceQuery(text)).parseQuery();
}

/** The resource types a query selects: lower-cased names, or "all" for `query all resources`. */
export function resourceTypesOf(query: ResourceQuery): readonly string[] | "all" {
  return query.resourceTypes;
}

class ResourceQueryParser {
  private index = 0;

  constructor(private readonly tokens: readonly ResourceToken[]) {}

  parseQuery(): ResourceQuery {
    this.expectKeyword("query");
    const resourceTypes = this.parseTypes();
    this.expectKeyword("resources");
    this.rejectUnsupportedClause();
    const where = this.acceptKeyword("where") ? this.parseOr() : null;
    this.rejectUnsupportedClause();
    let sort: ResourceQuery["sort"] = null;
    if (this.acceptKeyword("sorted")) {
      this.expectKeyword("by");
      const field = this.expectWord("a field name to sort by").text;
      const order = this.acceptKeyword("asc") ? "asc" : this.acceptKeyword("desc") ? "desc" : "asc";
      sort = { field, order };
    }
    this.rejectUnsupportedClause();
    const end = this.peek();
    if (end.kind !== "eof") {
      throw new QuerySyntaxError(`Unexpected token ${describeToken(end.text)}; expected end of query`, end.position);
    }
    return { resourceTypes, where, sort };
  }

  private parseTypes(): readonly string[] | "all" {
    if (this.acceptKeyword("all")) return "all";
    const types = [this.parseType()];
    while (this.acceptSymbol(",")) types.push(this.parseType());
    return types;
  }

  private parseType(): string {
    const token = this.expectWord("a resource type");
    const lower = token.text.toLowerCase();
    if (token.text.includes(".") || lower === "resources" || lower === "all") {
      throw new QuerySyntaxError(`Unexpected token ${describeToken(token.text)}; expected a resource type`, token.position);
    }
    return lower;
  }

  private parseOr(): ResourceCondition {
    const operands = [this.parseAnd()];
    while (this.acceptSymbol("||")) operands.push(this.parseAnd());
    return operands.length === 1 ? (operands[0] as ResourceCondition) : { kind: "or", operands };
  }

  private parseAnd(): ResourceCondition {
    const operands = [this.parsePrimary()];
    while (this.acceptSymbol("&&")) operands.push(this.parsePrimary());
    return operands.length === 1 ? (operands[0] as ResourceCondition) : { kind: "and", operands };
  }

  private parsePrimary(): ResourceCondition {
    if (this.acceptSymbol("(")) {
      const inner = this.parseOr();
      this.expectSymbol(")");
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): ResourceComparison {
    const fieldToken = this.expectWord("a field name or '('");
    const op = this.next();
    if (op.kind !== "symbol" || !OPERATORS.includes(op.text)) {
      throw this.unexpected(op, "a comparison operator (=, !=, >=, <=, >, <, =~, !~)");
    }
    const valueToken = this.next();
    const value = toValue(valueToken);
    if (value === null) throw this.unexpected(valueToken, "a quoted string, number or ISO date");
    return {
      kind: "comparison",
      field: fieldToken.text,
      path: fieldToken.text.toLowerCase().split("."),
      tag: tagOf(fieldToken),
      operator: op.text as ComparisonOperator,
      value,
      position: fieldToken.position,
    };
  }

  private rejectUnsupportedClause(): void {
    const token = this.peek();
    const word = token.kind === "word" ? token.text.toLowerCase() : "";
    if (word === "return" || word === "matching") {
      throw new QuerySyntaxError(`Unsupported clause '${token.text}'; the simulator supports where and sorted by`, token.position);
    }
  }

  private peek(): ResourceToken {
    return this.tokens[this.index] as ResourceToken;
  }

  private next(): ResourceToken {
    const token = this.peek();
    if (token.kind !== "eof") this.index += 1;
    return token;
  }

  private acceptKeyword(keyword: string): boolean {
    const token = this.peek();
    if (token.kind === "word" && token.text.toLowerCase() === keyword) {
      this.index += 1;
      return true;
    }
    return false;
  }

  private expectKeyword(keyword: string): void {
    if (!this.acceptKeyword(keyword)) throw this.unexpected(this.peek(), `'${keyword}'`);
  }

  private acceptSymbol(symbol: string): boolean {
    const token = this.peek();
    if (token.kind === "symbol" && token.text === symbol) {
      this.index += 1;
      return true;
    }
    return false;
  }

  private expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) throw this.unexpected(this.peek(), `'${symbol}'`);
  }

  private expectWord(what: string): ResourceToken {
    const token = this.next();
    if (token.kind !== "word") throw this.unexpected(token, what);
    return token;
  }

  private unexpected(token: ResourceToken, expected: string): QuerySyntaxError {
    const found = token.kind === "eof" ? "Unexpected end of query" : `Unexpected token ${describeToken(token.text)}`;
    return new QuerySyntaxError(`${found}; expected ${expected}`, token.position);
  }
}

function toValue(token: ResourceToken): QueryValue | null {
  switch (token.kind) {
    case "string":
      return { kind: "string", value: token.value };
    case "number":
      return { kind: "number", value: Number(token.text) };
    case "date":
      return { kind: "date", value: token.text };
    default:
      return null;
  }
}

/** Recognises tag fields (case-insensitively) and rejects unknown tag attributes. */
function tagOf(token: ResourceToken): ResourceComparison["tag"] {
  const [head, ...rest] = token.text.split(".");
  const kind = (Object.keys(TAG_ATTRIBUTES) as TagKind[]).find((k) => k.toLowerCase() === head?.toLowerCase());
  if (kind === undefined) return null;
  const attribute = rest.length === 1 ? rest[0]?.toLowerCase() : undefined;
  const allowed = TAG_ATTRIBUTES[kind];
  if (attribute === undefined || !allowed.includes(attribute as TagAttribute)) {
    throw new QuerySyntaxError(
      `Unknown tag field ${describeToken(token.text)}; expected ${allowed.map((a) => `${kind}.${a}`).join(", ")}`,
      token.position,
    );
  }
  return { kind, attribute: attribute as TagAttribute };
}
