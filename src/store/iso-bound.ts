/**
 * Query bounds for instant columns. Every instant column holds canonical ISO-8601 UTC text with ms
 * and `Z`, so a range query compares text: a bound must be in exactly that form (cases.md B28).
 */
import { ValidationError } from "../app/errors.js";
import { parseInstant } from "../time/instant.js";

/**
 * Canonical ISO text for an instant given as ISO text (any offset, with or without seconds or
 * fraction), a Date or epoch ms. Throws a ValidationError naming `field` when it is not an instant.
 */
export function isoBound(value: string | Date | number, field: string): string {
  const instant = parseInstant(value);
  if (!instant) throw new ValidationError(`${field}: expected an ISO-8601 instant, got ${JSON.stringify(value)}`, [field]);
  return instant.iso;
}
