/**
 * The one error both simulator query languages throw for a query they cannot parse.
 *
 * The simulator maps it to OCI's `400 InvalidParameter` error body; `position` is the 0-based
 * character offset into the query text where parsing stopped, and the message always ends with
 * "at position N" so a person reading only the HTTP error can find the spot.
 */
export class QuerySyntaxError extends Error {
  /** OCI error code the HTTP layer should answer with. */
  readonly code = "InvalidParameter" as const;

  constructor(
    message: string,
    /** 0-based offset into the query text. */
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = "QuerySyntaxError";
  }
}

/** Renders a token's text for an error message, keeping long tokens readable. */
export function describeToken(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `'${shown}'`;
}
