/**
 * The API document's error responses: every status a route can answer besides its success, each with the one error
 * body the app sends (http/app.ts's error handler, http/errors.ts's refusals, the token check in ./auth.ts). Routes
 * spread `READ_ERRORS` or `WRITE_ERRORS` into their `response` schema, so the document and the schema fuzzer know
 * every status there is (issue 9).
 */
import { z } from 'zod';

export const ErrorBodySchema = z
  .object({
    error: z
      .string()
      .describe(
        'what kind of refusal: invalid-request, bad-request, unauthenticated, forbidden, not-found, conflict, contradiction, unavailable, internal',
      ),
    message: z.string().optional().describe('for a person: what is wrong'),
    field: z.string().optional().describe('the field at fault, as a reader writes it: events[2].on'),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('every field at fault (400 and 422)'),
  })
  .describe('An error');

const error = (description: string) => ErrorBodySchema.describe(description);

const COMMON = {
  400: error('Malformed: a field of the wrong shape or out of range, a duplicate JSON key, text that cannot be stored'),
  401: error('No valid bearer token (checked before the request is read)'),
  403: error('The token lacks the scope this route needs'),
  404: error("Not found, or not in the token's partnership"),
  422: error('Well-formed, but it contradicts what is known (a date that does not exist, an event after today, ...)'),
  500: error('Something went wrong; the request was not completed and nothing of it was stored'),
  503: error('A service corewatch depends on is unavailable; try again after Retry-After seconds'),
} as const;

export const READ_ERRORS = COMMON;

export const WRITE_ERRORS = {
  ...COMMON,
  409: error('The same id already stands for something different'),
  413: error('The body is larger than 1 MiB'),
  415: error('The body is not application/json'),
} as const;
