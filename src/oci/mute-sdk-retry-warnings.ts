/**
 * oci-common's retrier writes a `console.warn` line for every failed attempt ("Request failed with
 * Exception ...", "All retry attempts have exhausted ...", "Request cannot be retried ...",
 * oci-common/lib/retrier.js), even with its retries off. keyproof's own retry layer
 * (with-retry.ts) logs each attempt as structured pino fields, so these plain-text lines only
 * duplicate it and break JSON-lines logs on stderr. This drops exactly those three messages and
 * passes every other warning through. Installed once per process by createOciClients.
 */
const SDK_RETRY_PREFIXES = ["Request failed with Exception", "All retry attempts have exhausted", "Request cannot be retried"];

let installed = false;

/** True for a console.warn argument list that is one of oci-common's retrier messages. */
export function isSdkRetryWarning(args: readonly unknown[]): boolean {
  const first = args[0];
  return typeof first === "string" && SDK_RETRY_PREFIXES.some((prefix) => first.startsWith(prefix));
}

/** Wraps console.warn (idempotent). */
export function muteSdkRetryWarnings(): void {
  if (installed) return;
  installed = true;
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    if (!isSdkRetryWarning(args)) warn(...args);
  };
}
