/**
 * The obligations engine: a plan, its events and its policy in; every deadline, with its status and citation, out.
 *
 * Pure and deterministic. It runs inside Temporal workflow code, so it reads no clock (`asOf` is passed in), does
 * no I/O and imports nothing but the calendar and the types. Workflows, reports, the dashboard and `corewatch
 * evaluate` all call `evaluatePlan`, so a rule has exactly one implementation.
 *
 * Semantics (decided in the issue, plus the choices marked "chosen here"):
 * - Day 0 is the triggering date; intervals are added with `calendar.addInterval`.
 * - Status as of `asOf`: `met` (met on or before the due date), `late` (met after it), `overdue` (not met and asOf is
 *   after the due date), `pending` (not met, asOf on or before the due date).
 * - Knowledge as of `asOf`: events dated after `asOf` are ignored. Events sharing an `id` count once (chosen here: the
 *   first in input order wins, before the `asOf` filter, so an event keeps one date whatever the `asOf`).
 * - Later deadlines run from the date the previous one was actually met, not from when it was due.
 * - One meeting per day (chosen here): two `core-group-held` events on the same date are one meeting (likewise review
 *   conferences, visits and cancellations), so every key is unique.
 * - Events before the plan started are ignored (a core group may be held on the ICPC day itself; chosen here: a visit
 *   or a review conference must be after it, as the ICPC is neither). A record circulated before the meeting it
 *   records is ignored, and a plan that ends before it started is refused (PlanInputError).
 * - `core-group-scheduled` and `non-engagement-reported` create no deadline (they drive reminders and escalations
 *   elsewhere).
 * - Child in need plans have no core groups in the vocabulary's sense, but the vocabulary has no separate child in
 *   need meeting event: a child in need meeting is recorded as `core-group-held`, and its minutes as
 *   `record-circulated` (obligation kind `core-group-record`).
 * - `plan-ended`: nothing falls due after the plan ends. Obligations due after the end date are dropped unless they
 *   were met on or before it; those due on or before it keep their status. So the chains' open heads stop.
 *   With several plan-ended events, the earliest counts (chosen here).
 */
import { judgeMeeting } from './attendance';
import {
  addInterval,
  compareDates,
  DateRangeError,
  daysBetween,
  describeInterval,
  isIsoDate,
  isNoLongerThan,
  sameInterval,
} from './calendar';
import { Refusal } from './refusal';
import type {
  CadenceInterval,
  Citation,
  Interval,
  IsoDate,
  Obligation,
  ObligationKind,
  ObligationStatus,
  PlanEvent,
  PlanFacts,
  Policy,
  Rule,
} from './types';

export interface EvaluatePlanInput {
  policy: Policy;
  plan: PlanFacts;
  events: readonly PlanEvent[];
}

/**
 * The input cannot be evaluated: `path` names the field (e.g. `plan.type`, `events[2].on`), `reason` says why. A
 * contradiction in the shared refusal type, so every edge reports it as it reports any other.
 */
export class PlanInputError extends Refusal {
  override name = 'PlanInputError';

  constructor(path: string, reason: string) {
    super('contradiction', path, reason);
  }

  get path(): string {
    return this.field;
  }
}

/** Every obligation of the plan as of `asOf`, sorted by due date, ties by key. */
export function evaluatePlan(input: EvaluatePlanInput, asOf: IsoDate): Obligation[] {
  checkInput(input, asOf);
  const { policy, plan } = input;
  const facts = collectFacts(input.events, plan, policy, asOf);
  const make: Make = (spec) => toObligation(spec, dueDate(spec, input), asOf, `${policy.id}@${policy.version}`);

  const obligations =
    plan.type === 'child-in-need'
      ? childInNeedObligations(policy, plan.startedOn, facts, make)
      : childProtectionObligations(policy, plan.startedOn, facts, make);
  return closeAtPlanEnd(obligations, facts.endedOn).sort(byDueThenKey);
}

// ---------------------------------------------------------------------------------------------------------------
// Facts: what the events say, as of asOf, in the shape the rules need.

interface Facts {
  /** Dates of core groups (or child in need meetings) held on or after the start, ascending, one per day. */
  held: IsoDate[];
  /** Dates of cancelled core groups on or after the start, ascending, one per day. */
  cancelled: IsoDate[];
  /** Dates the child was seen after the start, ascending, one per day. */
  seen: IsoDate[];
  /** Dates of review conferences held after the start, ascending, one per day. */
  reviews: IsoDate[];
  /**
   * Meeting date -> the first date its record was circulated (on or after the meeting), or, where the policy's record
   * rule is met by the minutes reaching the social worker (Barnsley), the first of that and the circulation.
   */
  recordCirculatedOn: Map<IsoDate, IsoDate>;
  /** Core group intervals set by a conference (`cadence-set` on or after the start), ascending by date. */
  cadences: Array<{ on: IsoDate; interval: CadenceInterval }>;
  /** The first plan-ended date, if the plan has ended. */
  endedOn: IsoDate | undefined;
}

function collectFacts(events: readonly PlanEvent[], plan: PlanFacts, policy: Policy, asOf: IsoDate): Facts {
  const startedOn = plan.startedOn;
  const recordRule =
    plan.type === 'child-in-need' ? policy.childInNeed?.recordCirculated : policy.childProtection.recordCirculated;
  const metBy = recordRule?.metBy ?? ['record-circulated'];
  const cadences: Facts['cadences'] = [];
  const held: IsoDate[] = [];
  const heldDays = new Set<IsoDate>();
  const cancelled: IsoDate[] = [];
  const seen: IsoDate[] = [];
  const reviews: IsoDate[] = [];
  const recordCirculatedOn = new Map<IsoDate, IsoDate>();
  const known = knownEvents(events, asOf);

  const onOrAfterStart = (date: IsoDate): boolean => compareDates(date, startedOn) >= 0;
  const afterStart = (date: IsoDate): boolean => compareDates(date, startedOn) > 0;

  for (const event of known) {
    switch (event.type) {
      case 'core-group-held':
        // One meeting a day, judged by its first record: one whose recorded attendance is not quorate under the
        // plan's rules does not count (issue 10).
        if (!onOrAfterStart(event.on) || heldDays.has(event.on)) break;
        heldDays.add(event.on);
        if (judgeMeeting(policy, plan.type, event.attendance).counts) held.push(event.on);
        break;
      case 'core-group-cancelled':
        if (onOrAfterStart(event.on)) cancelled.push(event.on);
        break;
      case 'child-seen':
        if (afterStart(event.on)) seen.push(event.on);
        break;
      case 'review-conference-held':
        if (afterStart(event.on)) reviews.push(event.on);
        break;
      case 'minutes-received':
      case 'record-circulated': {
        if (!metBy.includes(event.type)) break;
        if (compareDates(event.on, event.meetingOn) < 0) break;
        const earlier = recordCirculatedOn.get(event.meetingOn);
        if (earlier === undefined || compareDates(event.on, earlier) < 0) {
          recordCirculatedOn.set(event.meetingOn, event.on);
        }
        break;
      }
      case 'cadence-set':
        if (onOrAfterStart(event.on)) cadences.push({ on: event.on, interval: event.interval });
        break;
      case 'plan-ended':
      case 'core-group-scheduled':
      case 'non-engagement-reported':
      case 'access-denied':
      case 'worker-allocated':
      case 'member-joined':
      case 'member-left':
      case 'team-changed':
        break;
    }
  }
  cadences.sort((a, b) => compareDates(a.on, b.on));
  return {
    cadences,
    held: sortedUnique(held),
    cancelled: sortedUnique(cancelled),
    seen: sortedUnique(seen),
    reviews: sortedUnique(reviews),
    recordCirculatedOn,
    endedOn: planEndedOn(known),
  };
}

/**
 * The events known as of `asOf`, as the engine reads them: de-duplicated on `id` (the first in input order wins,
 * before the date filter, so an event keeps one date whatever the `asOf`), then those dated after `asOf`, or on a day
 * that does not exist, dropped. Reports and the plan page use this too, so every reader knows the same events.
 */
export function knownEvents<E extends PlanEvent>(events: readonly E[], asOf: IsoDate): E[] {
  const ids = new Set<string>();
  const result: E[] = [];
  for (const event of events) {
    if (event.id !== undefined) {
      if (ids.has(event.id)) continue;
      ids.add(event.id);
    }
    if (isRealDate(event.on) && compareDates(event.on, asOf) <= 0) result.push(event);
  }
  return result;
}

/**
 * The plan's events with its recorded end (Plan.endedOn) as one more `plan-ended` event, without an id so no
 * de-duplication can drop it. The engine ends a plan on the earliest such event (`planEndedOn`), so a recorded end is
 * honoured even when the event log lacks it, and an end in the log earlier than the recorded one still wins.
 */
export function withRecordedEnd(events: readonly PlanEvent[], endedOn: IsoDate | undefined): readonly PlanEvent[] {
  return endedOn === undefined ? events : [...events, { type: 'plan-ended', on: endedOn }];
}

/**
 * The day the plan ended: the earliest `plan-ended` event (chosen here: with several, the earliest counts), or
 * undefined while it is open. The one reading of "ended": the read model stores it as `Plan.endedOn`, the workflow
 * stops on it and the ladder sends nothing after it.
 */
export function planEndedOn(events: readonly PlanEvent[]): IsoDate | undefined {
  let endedOn: IsoDate | undefined;
  for (const event of events) {
    if (
      event.type === 'plan-ended' &&
      isRealDate(event.on) &&
      (endedOn === undefined || compareDates(event.on, endedOn) < 0)
    ) {
      endedOn = event.on;
    }
  }
  return endedOn;
}

function sortedUnique(dates: IsoDate[]): IsoDate[] {
  const sorted = [...dates].sort(compareDates);
  return sorted.filter((date, i) => i === 0 || date !== sorted[i - 1]);
}

// ---------------------------------------------------------------------------------------------------------------
// Rules.

interface Spec {
  key: string;
  kind: ObligationKind;
  from: IsoDate;
  rule: Rule<Interval>;
  metOn: IsoDate | undefined;
}
type Make = (spec: Spec) => Obligation;

/**
 * One link of a chain: the n-th obligation's key, kind and rule (1-based), given the day its clock starts; undefined
 * ends the chain.
 */
type Link = (n: number, from: IsoDate) => { key: string; kind: ObligationKind; rule: Rule<Interval> } | undefined;

/**
 * A chain of deadlines where the n-th meeting meets the n-th obligation and the next clock starts on the date it
 * was met. Emits every met link and then one unmet head (while the plan is open: `closeAtPlanEnd` trims it).
 */
function chain(start: IsoDate, metDates: readonly IsoDate[], link: Link, make: Make): Obligation[] {
  const result: Obligation[] = [];
  let from = start;
  for (let n = 1; ; n++) {
    const step = link(n, from);
    if (step === undefined) return result;
    const metOn = metDates[n - 1];
    result.push(make({ ...step, from, metOn }));
    if (metOn === undefined) return result;
    from = metOn;
  }
}

function childProtectionObligations(policy: Policy, startedOn: IsoDate, facts: Facts, make: Make): Obligation[] {
  const rules = policy.childProtection;
  const later = rules.laterCoreGroups;

  // first-core-group, then core-group#2, #3...: core group n runs from the date core group n-1 was held.
  const coreGroups = chain(
    startedOn,
    facts.held,
    (n, from) => {
      if (n === 1) return { key: 'first-core-group', kind: 'first-core-group', rule: rules.firstCoreGroup };
      const rule = later[Math.min(n - 2, later.length - 1)];
      return rule === undefined
        ? undefined
        : { key: `core-group#${n}`, kind: 'core-group', rule: conferenceCadence(policy, rule, facts.cadences, from) };
    },
    make,
  );

  // review-conference#1 from the ICPC, then each from the previous review conference held.
  const reviews = chain(
    startedOn,
    facts.reviews,
    (n) => ({
      key: `review-conference#${n}`,
      kind: 'review-conference',
      rule: n === 1 ? rules.firstReviewConference : rules.laterReviewConferences,
    }),
    make,
  );

  // child-seen#1 from the ICPC, then each from the previous visit.
  const seenRule = rules.childSeen;
  const childSeen =
    seenRule === undefined
      ? []
      : chain(startedOn, facts.seen, (n) => ({ key: `child-seen#${n}`, kind: 'child-seen', rule: seenRule }), make);

  const rescheduleRule = rules.rescheduleCancelled;
  const rescheduled =
    rescheduleRule === undefined ? [] : rescheduledCoreGroups(facts.cancelled, facts.held, rescheduleRule, make);

  return [
    ...coreGroups,
    ...records(facts.held, facts.recordCirculatedOn, rules.recordCirculated, make),
    ...reviews,
    ...childSeen,
    ...rescheduled,
  ];
}

/**
 * The interval a later core group is held to: the policy's, or the one the latest conference set on or before the
 * day this core group's clock starts (so a cadence applies from the next meeting), where that is stricter. A looser
 * one is refused at intake; one stored before that check is ignored here. Cited as set by the conference on its day,
 * with the policy's words that let it (000, 001, 002), and a rule id that names the setting.
 */
function conferenceCadence(
  policy: Policy,
  policyRule: Rule<Interval>,
  cadences: Facts['cadences'],
  from: IsoDate,
): Rule<Interval> {
  const power = policy.childProtection.conferenceCadence;
  let set: Facts['cadences'][number] | undefined;
  for (const c of cadences) if (compareDates(c.on, from) <= 0) set = c;
  if (power === undefined || set === undefined) return policyRule;
  if (!isNoLongerThan(set.interval, policyRule.value) || sameInterval(set.interval, policyRule.value))
    return policyRule;
  const every = describeInterval(set.interval);
  const note =
    `Set by the conference on ${set.on}: every ${every}, stricter than the policy's ` +
    `${describeInterval(policyRule.value)} (${policyRule.rule.id}: "${policyRule.rule.quote}").` +
    (power.note === undefined ? '' : ` ${power.note}`);
  return {
    value: set.interval,
    rule: { ...power, id: `${power.id}@${set.on}/${every.replace(' ', '-')}`, note },
  };
}

function childInNeedObligations(policy: Policy, startedOn: IsoDate, facts: Facts, make: Make): Obligation[] {
  const rules = policy.childInNeed;
  // checkInput refuses a child in need plan under a policy without child in need rules.
  if (rules === undefined) return [];
  const meetings = chain(
    startedOn,
    facts.held,
    (n) => ({ key: `cin-meeting#${n}`, kind: 'cin-meeting', rule: rules.meetings }),
    make,
  );
  const minutesRule = rules.recordCirculated;
  const minutes = minutesRule === undefined ? [] : records(facts.held, facts.recordCirculatedOn, minutesRule, make);
  return [...meetings, ...minutes];
}

/** One record obligation per meeting held, met by the first circulation of that meeting's record. */
function records(
  held: readonly IsoDate[],
  circulatedOn: ReadonlyMap<IsoDate, IsoDate>,
  rule: Rule<Interval>,
  make: Make,
): Obligation[] {
  return held.map((meetingOn) =>
    make({
      key: `core-group-record@${meetingOn}`,
      kind: 'core-group-record',
      from: meetingOn,
      rule,
      metOn: circulatedOn.get(meetingOn),
    }),
  );
}

/** One obligation per cancelled core group, met by the first core group held after the cancelled date. */
function rescheduledCoreGroups(
  cancelled: readonly IsoDate[],
  held: readonly IsoDate[],
  rule: Rule<Interval>,
  make: Make,
): Obligation[] {
  // Both lists are ascending: walk them together (linear, not a search per cancellation).
  let next = 0;
  return cancelled.map((cancelledOn) => {
    while (next < held.length && compareDates(held[next] as IsoDate, cancelledOn) <= 0) next++;
    return make({
      key: `rescheduled-core-group@${cancelledOn}`,
      kind: 'rescheduled-core-group',
      from: cancelledOn,
      rule,
      metOn: held[next],
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Status, plan end, order.

/**
 * The day an obligation falls due. One that would fall after 9999-12-31 (a plan started, or a meeting held, in the
 * calendar's last months) cannot be evaluated: a PlanInputError naming the date its clock started from, so every
 * reader treats the plan as it treats any other it cannot evaluate (the read model records why, the API answers 422,
 * the workflow fails without retrying) instead of crashing on a CalendarError.
 */
function dueDate(spec: Spec, input: EvaluatePlanInput): IsoDate {
  try {
    return addInterval(spec.from, spec.rule.value);
  } catch (error) {
    if (!(error instanceof DateRangeError)) throw error;
    const index = input.events.findIndex((e) => e.on === spec.from);
    const field = spec.from === input.plan.startedOn || index < 0 ? 'plan.startedOn' : `events[${index}].on`;
    throw new PlanInputError(
      field,
      `${spec.key} would fall due after 9999-12-31, the last day the calendar has (${JSON.stringify(spec.rule.value)} from ${spec.from})`,
    );
  }
}

function toObligation(spec: Spec, due: IsoDate, asOf: IsoDate, rulesVersion: string): Obligation {
  const rule: Citation = spec.rule.rule;
  const obligation: Obligation = {
    key: spec.key,
    kind: spec.kind,
    due,
    status: obligationStatus(due, spec.metOn, asOf),
    from: spec.from,
    rule,
    rulesVersion,
  };
  if (spec.metOn !== undefined) obligation.metOn = spec.metOn;
  return obligation;
}

/**
 * An obligation's status as of `asOf`: met (on or before its due day), late (after it), overdue (unmet and the due day
 * has passed) or pending (unmet, still in time on its due day). The one rule: the read model stores no status, and
 * every reader derives it with this (lists in SQL mirror it: services/plan-data/obligation-status.ts).
 */
export function obligationStatus(due: IsoDate, metOn: IsoDate | undefined, asOf: IsoDate): ObligationStatus {
  if (metOn !== undefined) return compareDates(metOn, due) <= 0 ? 'met' : 'late';
  return compareDates(asOf, due) > 0 ? 'overdue' : 'pending';
}

/** Calendar days an unmet obligation is past its due day as of `asOf`; 0 when met or still in time. */
export function daysOverdue(due: IsoDate, metOn: IsoDate | undefined, asOf: IsoDate): number {
  return obligationStatus(due, metOn, asOf) === 'overdue' ? daysBetween(due, asOf) : 0;
}

/** Nothing falls due after the plan ends: keep what was due by the end, or met by it. */
function closeAtPlanEnd(obligations: Obligation[], endedOn: IsoDate | undefined): Obligation[] {
  if (endedOn === undefined) return obligations;
  return obligations.filter(
    (o) => compareDates(o.due, endedOn) <= 0 || (o.metOn !== undefined && compareDates(o.metOn, endedOn) <= 0),
  );
}

/** The engine's order of obligations: by due date, ties by key. */
export function byDueThenKey(a: Obligation, b: Obligation): number {
  return compareDates(a.due, b.due) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Input checks. The public schema (evaluate-input.ts) catches these first for the CLI and the API; the engine
// checks again because workflows and reports call it with stored data.

function checkInput(input: EvaluatePlanInput, asOf: IsoDate): void {
  const { policy, plan, events } = input;
  if (!isRealDate(asOf)) throw new PlanInputError('asOf', `${JSON.stringify(asOf)} is not a real date`);
  if (plan.type !== 'child-protection' && plan.type !== 'child-in-need') {
    throw new PlanInputError('plan.type', `${JSON.stringify(plan.type)} is not child-protection or child-in-need`);
  }
  if (plan.type === 'child-in-need' && policy.childInNeed === undefined) {
    throw new PlanInputError('plan.type', `policy '${policy.id}' has no child in need rules`);
  }
  if (!isRealDate(plan.startedOn)) {
    throw new PlanInputError('plan.startedOn', `${JSON.stringify(plan.startedOn)} is not a real date`);
  }
  events.forEach((event, i) => {
    if (!isRealDate(event.on)) {
      throw new PlanInputError(`events[${i}].on`, `${JSON.stringify(event.on)} is not a real date`);
    }
    if (event.type === 'record-circulated' && !isRealDate(event.meetingOn)) {
      throw new PlanInputError(`events[${i}].meetingOn`, `${JSON.stringify(event.meetingOn)} is not a real date`);
    }
    if (event.type === 'plan-ended' && compareDates(event.on, plan.startedOn) < 0) {
      const reason = `the plan cannot end on ${event.on}, before it started (plan.startedOn ${plan.startedOn})`;
      throw new PlanInputError(`events[${i}].on`, reason);
    }
  });
}

function isRealDate(value: unknown): value is IsoDate {
  return typeof value === 'string' && isIsoDate(value);
}
