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
import { ANNEX_A_LISTS, annexAValueSchema } from './annex-a';
import { compareDates, describeInterval, isIsoDate, isNoLongerThan } from './calendar';
import {
  EVENT_ID_MAX,
  identifierSchema,
  IsoDateSchema,
  precedesItsMeeting,
  TEXT_MAX,
  textSchema,
} from './input-policy';
import { ALLOCATED_ROLES } from './people';
import { getPolicy, isPolicyId, POLICY_IDS } from './policies';
import type { CadenceInterval, IsoDate, PlanEvent, PlanFacts, PlanType, Policy, PolicyId } from './types';
import { PLAN_EVENT_TYPES } from './types';

export { IMPOSSIBLE_DATE, IsoDateSchema } from './input-policy';

/** Words from short vocabularies (agencies, roles as people write them). */
const word = textSchema(TEXT_MAX.word);
/** Free text (a reason, a detail). */
const note = textSchema(TEXT_MAX.note, { allowEmpty: true });
/** How many people one meeting's attendance lists at most: far beyond any core group. */
const MAX_ATTENDEES = 100;

export const AttendanceSchema = z.strictObject({
  present: z
    .array(z.strictObject({ agency: word, role: word.exactOptional() }))
    .max(MAX_ATTENDEES)
    .exactOptional(),
  apologies: z
    .array(z.strictObject({ agency: word, role: word.exactOptional(), writtenReport: z.boolean().exactOptional() }))
    .max(MAX_ATTENDEES)
    .exactOptional(),
  socialWorkerPresent: z.boolean().exactOptional(),
});

const base = { id: identifierSchema(EVENT_ID_MAX).exactOptional(), on: IsoDateSchema };

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
  reason: note.exactOptional(),
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
/**
 * The category of abuse a review conference decided: corewatch's word (`neglect`) or Annex A's code (`a) Neglect`),
 * one list for both (domain/annex-a.ts).
 */
export const ReviewConferenceHeldSchema = z.strictObject({
  ...base,
  type: z.literal('review-conference-held'),
  category: annexAValueSchema(ANNEX_A_LISTS.category).exactOptional(),
});
export const NonEngagementReportedSchema = z.strictObject({
  ...base,
  type: z.literal('non-engagement-reported'),
  detail: note.exactOptional(),
});
export const PlanEndedSchema = z.strictObject({ ...base, type: z.literal('plan-ended') });
export const MinutesReceivedSchema = z.strictObject({
  ...base,
  type: z.literal('minutes-received'),
  meetingOn: IsoDateSchema,
});
/** A conference-set interval, in the policy files' form: one unit, a whole number, up to a year. */
export const CadenceIntervalSchema = z.union(
  [
    z.strictObject({ days: z.number().int().min(1).max(365) }),
    z.strictObject({ weeks: z.number().int().min(1).max(52) }),
    z.strictObject({ months: z.number().int().min(1).max(12) }),
  ],
  { error: 'must be one of {"days": n} (1-365), {"weeks": n} (1-52) or {"months": n} (1-12)' },
);
export const CadenceSetSchema = z.strictObject({
  ...base,
  type: z.literal('cadence-set'),
  interval: CadenceIntervalSchema,
});
export const AccessDeniedSchema = z.strictObject({ ...base, type: z.literal('access-denied'), by: word });
export const WorkerAllocatedSchema = z.strictObject({
  ...base,
  type: z.literal('worker-allocated'),
  role: z.enum(ALLOCATED_ROLES, { error: `must be one of ${ALLOCATED_ROLES.join(', ')}` }),
  person: identifierSchema(),
});
export const MemberJoinedSchema = z.strictObject({
  ...base,
  type: z.literal('member-joined'),
  agency: word,
  person: identifierSchema(),
});
export const MemberLeftSchema = z.strictObject({
  ...base,
  type: z.literal('member-left'),
  agency: word,
  person: identifierSchema(),
});
export const TeamChangedSchema = z.strictObject({ ...base, type: z.literal('team-changed'), team: identifierSchema() });

const EVENT_VARIANTS = [
  CoreGroupScheduledSchema,
  CoreGroupHeldSchema,
  CoreGroupCancelledSchema,
  RecordCirculatedSchema,
  ChildSeenSchema,
  ReviewConferenceHeldSchema,
  NonEngagementReportedSchema,
  PlanEndedSchema,
  MinutesReceivedSchema,
  CadenceSetSchema,
  AccessDeniedSchema,
  WorkerAllocatedSchema,
  MemberJoinedSchema,
  MemberLeftSchema,
  TeamChangedSchema,
] as const;

/** A discriminator miss says which types there are. */
const unknownEventType = {
  error: (issue: z.core.$ZodRawIssue) => {
    if (issue.code !== 'invalid_union') return undefined;
    const type = typeField(issue.input);
    const known = `one of ${PLAN_EVENT_TYPES.join(', ')}`;
    return type === undefined ? `is required (${known})` : `${describe(type)} is not an event type (${known})`;
  },
};

export const PlanEventSchema = z.discriminatedUnion('type', EVENT_VARIANTS, unknownEventType);

/**
 * An event with its client-supplied id required: over HTTP and in imports the id is what makes a retry safe (and the
 * API document says so: `id` is among each event's required fields).
 */
export const IdentifiedEventSchema = z.discriminatedUnion(
  'type',
  EVENT_VARIANTS.map((variant) =>
    variant.extend({ id: identifierSchema(EVENT_ID_MAX) }),
  ) as unknown as typeof EVENT_VARIANTS,
  unknownEventType,
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

/** One plan's events for `corewatch evaluate`: years of weekly visits and meetings fit many times over. */
const MAX_EVENTS = 10_000;

export const EvaluateInputSchema = z
  .strictObject({
    policy: PolicyIdSchema,
    plan: PlanFactsSchema,
    events: z.array(PlanEventSchema).max(MAX_EVENTS),
  })
  .superRefine((input, ctx) => {
    // Checks across fields. zod runs them even when other fields failed, so compare only dates that are valid.
    const before = (a: string, b: string) => isIsoDate(a) && isIsoDate(b) && compareDates(a, b) < 0;
    input.events.forEach((event, i) => {
      if (precedesItsMeeting(event)) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'on'],
          message:
            event.type === 'record-circulated'
              ? `record circulated on ${event.on}, before the meeting it records (meetingOn ${event.meetingOn})`
              : `minutes received on ${event.on}, before the meeting they record (meetingOn ${event.meetingOn})`,
        });
      }
      if (event.type === 'cadence-set' && isPolicyId(input.policy)) {
        const problem = cadenceProblem(getPolicy(input.policy), input.plan.type, event.interval);
        if (problem) ctx.addIssue({ code: 'custom', path: ['events', i, 'interval'], message: problem });
      }
      if (event.type === 'plan-ended' && isIsoDate(event.on)) {
        const later = laterFact(input.events, event.on);
        const reason = before(event.on, input.plan.startedOn)
          ? `the plan cannot end on ${event.on}, before it started (plan.startedOn ${input.plan.startedOn})`
          : later && endsBeforeFact(event.on, later);
        if (reason) ctx.addIssue({ code: 'custom', path: ['events', i, 'on'], message: reason });
      }
    });
    const policy = isPolicyId(input.policy) ? getPolicy(input.policy) : undefined;
    if (policy && input.plan.type === 'child-in-need' && policy.childInNeed === undefined) {
      ctx.addIssue({ code: 'custom', path: ['plan', 'type'], message: noChildInNeedRules(policy.id) });
    }
  });

/**
 * Why a conference cannot set this cadence for a plan under `policy`, or undefined when it can (000, 001, 002: more
 * often, never less). Compared with the policy's standing interval between later core groups.
 */
export function cadenceProblem(policy: Policy, planType: PlanType, interval: CadenceInterval): string | undefined {
  if (planType !== 'child-protection')
    return 'a child in need plan has no conference to set its meetings: only a child protection plan takes cadence-set';
  const power = policy.childProtection.conferenceCadence;
  if (power === undefined)
    return `the rules ${policy.id}@${policy.version} this plan is under do not provide for a conference-set cadence`;
  const standing = policy.childProtection.laterCoreGroups.at(-1);
  if (standing !== undefined && !isNoLongerThan(interval, standing.value))
    return (
      `every ${describeInterval(interval)} is less often than the policy's limit, every ` +
      `${describeInterval(standing.value)} (${standing.rule.id}): a conference may set more frequent meetings, never fewer`
    );
  return undefined;
}

/** Why a child in need plan cannot be registered under `policyId` (the engine would have no rules to apply). */
export function noChildInNeedRules(policyId: string): string {
  return `policy '${policyId}' has no child in need rules: register the plan under a policy that has them, or as child-protection`;
}

/**
 * The first event that records something having happened after `endedOn`, if any: a plan cannot end before what is
 * recorded of it (a booking is a plan for a future day, not a fact, so it does not count).
 */
export function laterFact(
  events: ReadonlyArray<{ type: string; on: string }>,
  endedOn: IsoDate,
): { type: string; on: IsoDate } | undefined {
  return events.find(
    (e) =>
      e.type !== 'core-group-scheduled' &&
      e.type !== 'plan-ended' &&
      isIsoDate(e.on) &&
      compareDates(e.on, endedOn) > 0,
  );
}

export function endsBeforeFact(endedOn: IsoDate, fact: { type: string; on: IsoDate }): string {
  return `the plan cannot end on ${endedOn}: ${fact.type} on ${fact.on} is recorded after it`;
}

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
