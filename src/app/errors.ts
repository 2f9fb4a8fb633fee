/**
 * The one error hierarchy of keyproof (STYLE §5). Domain code throws these with a string code and
 * never knows about HTTP statuses or exit codes; each front door maps them once.
 */
export type AppErrorCode =
  | "VALIDATION"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "INPUT_REJECTED"
  | "OCI_UNAVAILABLE"
  | "INTERNAL";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: readonly string[],
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** Bad configuration or arguments: every bad field is listed in `details`. */
export class ValidationError extends AppError {
  constructor(message: string, details: readonly string[] = []) {
    super("VALIDATION", message, details);
    this.name = "ValidationError";
  }
}

/** Input that could not be used at all (a file that is not audit data, a truncated gzip, ...). */
export class InputRejectedError extends AppError {
  constructor(message: string, details: readonly string[] = []) {
    super("INPUT_REJECTED", message, details);
    this.name = "InputRejectedError";
  }
}

/** CLI exit codes, one per error code (0 = success, 1 = unexpected). */
export const EXIT_CODES: Record<AppErrorCode, number> = {
  VALIDATION: 2,
  INPUT_REJECTED: 3,
  NOT_FOUND: 4,
  CONFLICT: 5,
  PRECONDITION_FAILED: 6,
  OCI_UNAVAILABLE: 7,
  INTERNAL: 1,
};
