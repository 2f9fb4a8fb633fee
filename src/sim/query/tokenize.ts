/**
 * The scanning loop both query languages share: skip white space, read one token at a time with
 * the language's own reader, and end with one `eof` token at the end of the text.
 */

/** What a token needs for the loop: its source text (to advance) and where it starts. */
export interface TokenBase {
  readonly text: string;
  readonly position: number;
}

/**
 * Splits `text` into tokens with `readToken` (which throws QuerySyntaxError on bad input) and
 * appends `eof(text.length)`.
 */
export function tokenize<T extends TokenBase>(text: string, readToken: (text: string, i: number, ch: string) => T, eof: (position: number) => T): T[] {
  const tokens: T[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const token = readToken(text, i, ch);
    tokens.push(token);
    i += token.text.length;
  }
  tokens.push(eof(text.length));
  return tokens;
}
