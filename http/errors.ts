/**
 * The one place a refusal becomes an HTTP status (the domain's Refusal knows nothing of HTTP). The API answers JSON
 * bodies built here; the dashboard shows the same status with a page (http/dashboard/index.ts).
 */
import type { Refusal, RefusalCode } from '../domain/refusal';

export const REFUSAL_STATUS: Record<RefusalCode, 400 | 404 | 409 | 422> = {
  invalid: 400,
  'not-found': 404,
  conflict: 409,
  contradiction: 422,
};

/** The `error` word of an API error body, per status. */
const ERROR_NAME: Record<400 | 404 | 409 | 422, string> = {
  400: 'invalid-request',
  404: 'not-found',
  409: 'conflict',
  422: 'contradiction',
};

export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
  issues?: Array<{ path: string; message: string }>;
}

export function refusalStatus(refusal: Refusal): 400 | 404 | 409 | 422 {
  return REFUSAL_STATUS[refusal.code];
}

export function refusalBody(refusal: Refusal): ErrorBody {
  const status = refusalStatus(refusal);
  const body: ErrorBody = { error: ERROR_NAME[status], field: refusal.field, message: refusal.reason };
  if (status === 400) body.issues = [{ path: refusal.field, message: refusal.reason }];
  return body;
}

/** Seconds a client is asked to wait before repeating a request refused because the database is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * The 503 answered while PostgreSQL is unreachable (platform/database.ts isDatabaseUnavailable), with Retry-After.
 * Not "nothing was stored": a commit whose reply was lost may have landed, so the advice is to repeat the request,
 * which is safe because writes are idempotent on the client's ids.
 */
export function unavailableBody(): ErrorBody {
  return {
    error: 'unavailable',
    message: `the database is unavailable: repeat the request after ${UNAVAILABLE_RETRY_AFTER_SECONDS} seconds (writes are idempotent)`,
  };
}
