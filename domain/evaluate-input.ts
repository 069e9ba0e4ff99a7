/**
 * The public evaluate input, as a zod schema: `corewatch evaluate` reads it from a file, the HTTP API (later) from a
 * request body. Shape:
 *
 *   { "policy": "camden", "plan": { "type": "child-protection", "startedOn": "2025-01-06" },
 *     "events": [{ "type": "core-group-held", "on": "2025-01-15" }, ...] }
 *
 * Objects are strict: an unknown or misspelt field is refused rather than silently dropped, because a dropped field
 * could change a deadline without anyone noticing. Dates must be real `YYYY-MM-DD` dates (`calendar.isIsoDate`).
 * Errors name every offending field by path, e.g. `events[2].on: "2025-02-30" is not a real date`.
 */
import { z } from 'zod';
import { compareDates, isIsoDate } from './calendar';
import { POLICY_IDS } from './policies';
import type { PlanEvent, PlanFacts, PolicyId } from './types';
import { PLAN_EVENT_TYPES } from './types';

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A well-formed date that does not exist (2026-02-30) is a contradiction rather than a malformed request: its issue
 * carries `params.impossibleDate`, which the HTTP API answers with a 422 (issue 4) where a malformed one is a 400.
 */
export const IMPOSSIBLE_DATE = 'impossibleDate';

export const IsoDateSchema = z.string().superRefine((value, ctx) => {
  if (isIsoDate(value)) return;
  if (DATE_SHAPE.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(value)} is not a real date`,
      params: { [IMPOSSIBLE_DATE]: true },
    });
  } else {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a date in YYYY-MM-DD form` });
  }
});

const text = z.string().min(1, { error: 'must not be empty' });

export const AttendanceSchema = z.strictObject({
  present: z.array(z.strictObject({ agency: text, role: text.exactOptional() })).exactOptional(),
  apologies: z
    .array(z.strictObject({ agency: text, role: text.exactOptional(), writtenReport: z.boolean().exactOptional() }))
    .exactOptional(),
  socialWorkerPresent: z.boolean().exactOptional(),
});

const base = { id: text.exactOptional(), on: IsoDateSchema };

export const CoreGroupScheduledSchema = z.strictObject({ ...base, type: z.literal('core-group-scheduled') });
export const CoreGroupHeldSchema = z.strictObject({
  ...base,
  type: z.literal('core-group-held'),
  attendance: AttendanceSchema.exactOptional(),
  parentsPresent: z.boolean().exactOptional(),
  childViewsRecorded: z.boolean().exactOptional(),
});
export const CoreGroupCancelledSchema = z.strictObject({
  ...base,
  type: z.literal('core-group-cancelled'),
  reason: z.string().exactOptional(),
});
export const RecordCirculatedSchema = z.strictObject({
  ...base,
  type: z.literal('record-circulated'),
  meetingOn: IsoDateSchema,
});
export const ChildSeenSchema = z.strictObject({
  ...base,
  type: z.literal('child-seen'),
  seenAlone: z.boolean().exactOptional(),
});
/** Categories of abuse a conference can decide (Ofsted ILACS Annex A codes them a) to e), see reports/annex-a-codes.ts). */
export const ABUSE_CATEGORIES = ['neglect', 'physical', 'sexual', 'emotional', 'multiple'] as const;
export const ReviewConferenceHeldSchema = z.strictObject({
  ...base,
  type: z.literal('review-conference-held'),
  category: z.enum(ABUSE_CATEGORIES).exactOptional(),
});
export const NonEngagementReportedSchema = z.strictObject({
  ...base,
  type: z.literal('non-engagement-reported'),
  detail: z.string().exactOptional(),
});
export const PlanEndedSchema = z.strictObject({ ...base, type: z.literal('plan-ended') });

export const PlanEventSchema = z.discriminatedUnion(
  'type',
  [
    CoreGroupScheduledSchema,
    CoreGroupHeldSchema,
    CoreGroupCancelledSchema,
    RecordCirculatedSchema,
    ChildSeenSchema,
    ReviewConferenceHeldSchema,
    NonEngagementReportedSchema,
    PlanEndedSchema,
  ],
  {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const type = typeField(issue.input);
      const known = `one of ${PLAN_EVENT_TYPES.join(', ')}`;
      return type === undefined ? `is required (${known})` : `${describe(type)} is not an event type (${known})`;
    },
  },
);

export const PlanFactsSchema = z.strictObject({
  type: z.enum(['child-protection', 'child-in-need'], {
    error: (issue) =>
      `${issue.input === undefined ? 'is required' : `${describe(issue.input)} is not a plan type`} ` +
      '(child-protection or child-in-need)',
  }),
  startedOn: IsoDateSchema,
});

export const PolicyIdSchema = z.enum(POLICY_IDS as [PolicyId, ...PolicyId[]], {
  error: (issue) =>
    `${issue.input === undefined ? 'is required' : `${describe(issue.input)} is not a known policy`} ` +
    `(one of ${POLICY_IDS.join(', ')})`,
});

export const EvaluateInputSchema = z
  .strictObject({
    policy: PolicyIdSchema,
    plan: PlanFactsSchema,
    events: z.array(PlanEventSchema),
  })
  .superRefine((input, ctx) => {
    // Checks across fields. zod runs them even when other fields failed, so compare only dates that are valid.
    const before = (a: string, b: string) => isIsoDate(a) && isIsoDate(b) && compareDates(a, b) < 0;
    input.events.forEach((event, i) => {
      if (event.type === 'record-circulated' && before(event.on, event.meetingOn)) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'on'],
          message: `record circulated on ${event.on}, before the meeting it records (meetingOn ${event.meetingOn})`,
        });
      }
      if (event.type === 'plan-ended' && before(event.on, input.plan.startedOn)) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'on'],
          message: `the plan cannot end on ${event.on}, before it started (plan.startedOn ${input.plan.startedOn})`,
        });
      }
    });
  });

export interface EvaluateInput {
  policy: PolicyId;
  plan: PlanFacts;
  events: PlanEvent[];
}

export interface InputProblem {
  /** The field, e.g. `events[2].on`; `(input)` for the document itself. */
  path: string;
  reason: string;
}

/** The input does not match the schema. `problems` is the data; the message lists one `path: reason` per line. */
export class EvaluateInputError extends Error {
  override readonly name = 'EvaluateInputError';

  constructor(readonly problems: InputProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.reason}`).join('\n'));
  }
}

/** Validates the public evaluate input. Throws EvaluateInputError naming each offending field. */
export function parseEvaluateInput(json: unknown): EvaluateInput {
  const parsed = EvaluateInputSchema.safeParse(json, { error: defaultReason, reportInput: true });
  if (parsed.success) return parsed.data;
  throw new EvaluateInputError(parsed.error.issues.flatMap(toProblems));
}

/** Field paths as a reader writes them: `events[2].attendance.present[0].agency`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let result = '';
  for (const part of path) {
    if (typeof part === 'number') result += `[${part}]`;
    else result += result === '' ? String(part) : `.${String(part)}`;
  }
  return result === '' ? '(input)' : result;
}

function toProblems(issue: z.core.$ZodIssue): InputProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), reason: 'is not a known field' }));
  }
  return [{ path: formatPath(issue.path), reason: issue.message }];
}

/** Readable reasons for zod's generic issues (schema-level messages above take precedence). */
const defaultReason: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${withArticle(issue.expected)}, not ${describe(issue.input)}`;
    case 'invalid_value':
      return `${describe(issue.input)} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty' : undefined;
    default:
      return undefined;
  }
};

/** The `type` of an event-like input (zod reports the whole event on a discriminator miss, or the type itself). */
function typeField(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  return 'type' in input ? input.type : undefined;
}

function withArticle(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}
