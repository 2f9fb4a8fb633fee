/**
 * An OCI API error as the wire shows it: an HTTP status and the JSON body `{code, message}` that
 * oci-common turns into `OciError{statusCode, serviceCode, message}` (OCI-NOTES §1.4). Handlers
 * throw these; the request pipeline writes them.
 */
export type OciErrorCode =
  | "InvalidParameter"
  | "MissingParameter"
  | "NotAuthenticated"
  | "NotAuthorizedOrNotFound"
  | "IncorrectState"
  | "Conflict"
  | "NoEtagMatch"
  | "TooManyRequests"
  | "InternalServerError";

const STATUS: Record<OciErrorCode, number> = {
  InvalidParameter: 400,
  MissingParameter: 400,
  NotAuthenticated: 401,
  NotAuthorizedOrNotFound: 404,
  IncorrectState: 409,
  Conflict: 409,
  NoEtagMatch: 412,
  TooManyRequests: 429,
  InternalServerError: 500,
};

export class SimError extends Error {
  readonly status: number;
  constructor(
    readonly code: OciErrorCode,
    message: string,
    /** Extra response headers (Retry-After on 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "SimError";
    this.status = STATUS[code];
  }

  /** The JSON body OCI sends. */
  body(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** 404 with OCI's deliberately vague wording (it never says whether the resource exists). */
export function notFound(what: string, id: string): SimError {
  return new SimError("NotAuthorizedOrNotFound", `${what} ${id} not found or not authorized`);
}

/** 400 MissingParameter naming the parameter. */
export function missing(name: string): SimError {
  return new SimError("MissingParameter", `Missing required parameter: ${name}`);
}

/** 400 InvalidParameter naming the parameter and saying why. */
export function invalid(name: string, why: string): SimError {
  return new SimError("InvalidParameter", `Invalid ${name}: ${why}`);
}

/** 409 IncorrectState: the resource is not in a state that allows the operation. */
export function incorrectState(message: string): SimError {
  return new SimError("IncorrectState", message);
}
