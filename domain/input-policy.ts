/**
 * The one input policy: what corewatch accepts at every edge (the API, the import, `corewatch evaluate`, the
 * directory load, the dashboard's query strings), so that nothing is accepted that cannot later be read (issue 9).
 *
 *   identifiers   plan references, event ids, team, person, child and partnership ids: ASCII letters, digits, `.`,
 *                 `_` and `-`, starting with a letter or digit (no `../`, no spaces, no look-alike or
 *                 right-to-left characters that would make one reference display as another); 64 characters at
 *                 most (event ids 128: clients often build them from several parts)
 *   text          any Unicode except NUL, the other C0 control characters but tab, line feed and carriage return
 *                 (PostgreSQL refuses NUL in text; XML, hence the workbook, refuses the rest) and unpaired UTF-16
 *                 surrogates (not characters at all: PostgreSQL's UTF-8 cannot store them); each field has a length
 *   dates         real YYYY-MM-DD dates from 1900-01-01 to 2199-12-31: beyond what any plan, child or booking needs,
 *                 inside what the calendar, JavaScript and PostgreSQL all hold. How far after *today* a date may be
 *                 is a business rule checked where today is known (an event cannot be dated after today; a plan
 *                 cannot start after today), as a 422
 *   integers      within PostgreSQL's `integer` (and far inside JavaScript's safe range)
 *
 * Pure: zod schemas and predicates, shared by the domain's own input schemas (evaluate-input.ts) and the edges.
 */
import { z } from 'zod';
import { compareDates, isIsoDate } from './calendar';
import type { MinutesReceived, PlanEvent, RecordCirculated } from './types';

export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2199-12-31';
export const MAX_INT = 2_147_483_647;

export const ID_MAX = 64;
export const EVENT_ID_MAX = 128;
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const ID_RULE = 'letters, digits, ".", "_" and "-", starting with a letter or digit';

/** Lengths of free text, by what it holds. */
export const TEXT_MAX = {
  /** A word from a short vocabulary: an agency, a role as people write it, a code. */
  word: 100,
  /** A person's or child's name. */
  name: 200,
  /** A reason, a detail, notes. */
  note: 2000,
} as const;

// NUL and the C0 controls but \t \n \r; a high surrogate not followed by a low one; a low one not preceded by a high.
const UNSAFE_TEXT =
  // eslint-disable-next-line no-control-regex -- the control characters are what this pattern is for
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `value` with every character that cannot be stored replaced by U+FFFD, to show a refused value safely. */
export function withUnsafeTextReplaced(value: string): string {
  return value.replace(new RegExp(UNSAFE_TEXT.source, 'g'), '\uFFFD');
}

/** What in `value` cannot be stored as text ('a NUL character (U+0000)', ...), or undefined when all of it can. */
export function unsafeTextFound(value: string): string | undefined {
  const found = UNSAFE_TEXT.exec(value);
  if (!found) return undefined;
  const code = found[0].charCodeAt(0);
  if (code === 0) return 'a NUL character (U+0000)';
  if (code >= 0xd800 && code <= 0xdfff) return `an unpaired UTF-16 surrogate (U+${code.toString(16).toUpperCase()})`;
  return `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why `value` cannot be stored as text, or undefined when it can. */
export function unsafeTextReason(value: string): string | undefined {
  const found = unsafeTextFound(value);
  return found === undefined ? undefined : `must not contain ${found}`;
}

/**
 * A record of a meeting (its record circulated, its minutes received) dated before the meeting it is about: refused
 * at every intake, as nothing can record a meeting that has not yet taken place.
 */
export function precedesItsMeeting(event: PlanEvent): event is RecordCirculated | MinutesReceived {
  return (
    (event.type === 'record-circulated' || event.type === 'minutes-received') &&
    isIsoDate(event.on) &&
    isIsoDate(event.meetingOn) &&
    compareDates(event.on, event.meetingOn) < 0
  );
}

/**
 * The first string (key or value) anywhere in a parsed value that cannot be stored, with its path (`people[1].role`,
 * `(body)` for the value itself). For the edges that check a whole request before any field schema runs.
 */
export function findUnsafeText(
  value: unknown,
  path: ReadonlyArray<string | number> = [],
): { path: ReadonlyArray<string | number>; reason: string } | undefined {
  if (typeof value === 'string') {
    const reason = unsafeTextReason(value);
    return reason === undefined ? undefined : { path, reason };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const keyReason = unsafeTextReason(key);
      if (keyReason !== undefined) return { path: [...path, key], reason: `its name ${keyReason}` };
      const found = findUnsafeText(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Text as the published API document states it (a JSON Schema pattern): no C0 control character but tab, line feed
 * and carriage return. (Unpaired surrogates cannot be written in such a pattern; they are refused all the same.)
 * Exported for documents written by hand: the fuzzer's description of the dashboard's pages (test/fuzz).
 */
export const TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*$';

/** Text of at most `max` characters that can be stored (and, unless `allowEmpty`, is not empty). */
export function textSchema(max: number, options: { allowEmpty?: boolean } = {}) {
  const base = z.string();
  return (options.allowEmpty ? base : base.min(1, { error: 'must not be empty' }))
    .max(max, { error: `must be at most ${max} characters` })
    .superRefine((value, ctx) => {
      const reason = unsafeTextReason(value);
      if (reason !== undefined) ctx.addIssue({ code: 'custom', message: reason });
    })
    .meta({ pattern: TEXT_PATTERN });
}

/** An identifier (see the top of this file) of at most `max` characters. */
export function identifierSchema(max: number = ID_MAX) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const problem = identifierProblem(value, max);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    })
    .meta({ pattern: ID_PATTERN.source, minLength: 1, maxLength: max, description: `${ID_RULE}; at most ${max}` });
}

export function identifierProblem(value: string, max: number = ID_MAX): string | undefined {
  if (value === '') return 'must not be empty';
  if (value.length > max) return `must be at most ${max} characters`;
  if (!ID_PATTERN.test(value)) return `must be ${ID_RULE} (${JSON.stringify(value.slice(0, 80))} is not)`;
  return undefined;
}

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A well-formed date that does not exist (2026-02-30) is a contradiction rather than a malformed request: its issue
 * carries `params.impossibleDate`, which the HTTP API answers with a 422 (issue 4) where a malformed one is a 400.
 */
export const IMPOSSIBLE_DATE = 'impossibleDate';

/**
 * The dates corewatch holds as the API document states them: YYYY-MM-DD from 1900 to 2199 with months 01-12 and days
 * 01-31. Days a month does not have (2026-02-30) match it and are refused as contradictions (422).
 */
const DATE_PATTERN = '^(19|20|21)\\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';

/** A real date between EARLIEST_DATE and LATEST_DATE. */
export const IsoDateSchema = z
  .string()
  .superRefine((value, ctx) => {
    if (isIsoDate(value)) {
      if (compareDates(value, EARLIEST_DATE) < 0 || compareDates(value, LATEST_DATE) > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(value)} is outside the dates corewatch holds (${EARLIEST_DATE} to ${LATEST_DATE})`,
        });
      }
      return;
    }
    if (DATE_SHAPE.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} is not a real date`,
        params: { [IMPOSSIBLE_DATE]: true },
      });
    } else {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a date in YYYY-MM-DD form` });
    }
  })
  .meta({
    format: 'date',
    pattern: DATE_PATTERN,
    description: `a date, YYYY-MM-DD, ${EARLIEST_DATE} to ${LATEST_DATE}`,
  });

/** A month, YYYY-MM, within the dates corewatch holds. */
export const YearMonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'must be a month in YYYY-MM form' })
  .meta({ pattern: '^(19|20|21)\\d{2}-(0[1-9]|1[0-2])$', description: 'a month, YYYY-MM' })
  .refine((value) => value >= EARLIEST_DATE.slice(0, 7) && value <= LATEST_DATE.slice(0, 7), {
    error: `must be a month from ${EARLIEST_DATE.slice(0, 7)} to ${LATEST_DATE.slice(0, 7)}`,
  });

/** A whole number PostgreSQL's `integer` holds, from `min`. */
export function intSchema(min = 0, max = MAX_INT) {
  return z
    .number()
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
}
