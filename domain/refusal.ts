/**
 * A business refusal: the caller asked for something corewatch will not do, and must change the request. One error
 * type for the whole service, knowing nothing of HTTP (documenso's AppError): a code saying what kind of refusal,
 * the field at fault (as a reader writes it: `events[2].on`) and a message for a person. The HTTP edge maps codes to
 * statuses in one place (http/errors.ts); the CLI prints `field: message` and exits 2; a Temporal activity turns it
 * into a non-retryable failure.
 *
 *   invalid        the request is malformed (a field of the wrong shape, a missing field)
 *   not-found      the plan, team, report... does not exist, or not for this caller
 *   conflict       the same id already stands for something different
 *   contradiction  well-formed, but it contradicts what is known (an event before its plan started, a date that
 *                  does not exist, an event dated after today)
 *
 * Pure: imported by the domain engine and by workflow code.
 */
export type RefusalCode = 'invalid' | 'not-found' | 'conflict' | 'contradiction';

export class Refusal extends Error {
  override name = 'Refusal';

  constructor(
    readonly code: RefusalCode,
    /** The field at fault, e.g. `events[2].on`, `planId`, `(body)`. */
    readonly field: string,
    /** Why, for a person, without the field: `is before the plan started (2026-01-05)`. */
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export function isRefusal(error: unknown): error is Refusal {
  return error instanceof Refusal;
}
