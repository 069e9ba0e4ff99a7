/**
 * fast-check generators of plans and their events, shaped by what the intake accepts (issue 9), for the obligations
 * engine's property tests (test/domain/obligations.property.test.ts).
 *
 * Each constraint below names the intake rule it stands for, so the generators and the intake can be kept aligned:
 *
 * | generator constraint                                   | intake rule                                                  |
 * |--------------------------------------------------------|--------------------------------------------------------------|
 * | policy: one of POLICY_IDS                              | evaluate-input PolicyIdSchema                                |
 * | child-in-need only under a policy with `childInNeed`   | engine checkInput; createPlan's read model refresh refuses   |
 * |                                                        | it (being moved to a 422 at intake: "policy x plan type")    |
 * | startedOn: a real date in 1900-01-01..2099-12-31       | IsoDateSchema (real date); being bounded to 1900-01-01..a    |
 * |                                                        | bound after today, which 2099-12-31 stands in for            |
 * | every event dated on or after startedOn                | services/plan-data/events.ts ("before the plan started")     |
 * | no event after asOf ("today") but core-group-scheduled | events.ts ("after today ... cannot have happened yet")       |
 * | record-circulated: on >= meetingOn; meetingOn any real | EvaluateInputSchema superRefine, imports' buildEvent;        |
 * |   date from 1900-01-01, even before the plan started   |   nothing checks meetingOn against the plan or a meeting     |
 * | cadence-set only as the plan's policy allows           | evaluate-input cadenceProblem (issue 10)                     |
 * | plan-ended on or after startedOn, anywhere up to asOf, | EvaluateInputSchema superRefine, engine checkInput;          |
 * |   other events may be dated after it                   |   events.ts refuses an event after a plan end already stored, |
 * |                                                        |   but not a plan-ended arriving after later-dated events     |
 * |                                                        |   (issue 9 finding 6, being refused): a superset of both     |
 * | ids: unique `ev-<n>` (`[A-Za-z0-9._-]`, short)         | IdentifiedEvent (id required); events.ts refuses one id with |
 * |                                                        |   different content; the coming identifier character set     |
 * | duplicated ids (intakeInput only)                      | evaluate-input accepts them (`corewatch evaluate`): the      |
 * |                                                        |   engine counts the first                                    |
 *
 * Start dates are drawn uniformly over the range and, more often, near the dates where calendar arithmetic is most
 * likely to go wrong: England-and-Wales bank holidays (incl. the one-off proclamations), the Europe/London clock
 * changes (last Sundays of March and October) and month ends (months intervals clamp to the month's last day).
 */
import fc from 'fast-check';
import { addDays, bankHolidaysIn, compareDates, dayOfWeek, daysBetween } from '../../domain/calendar';
import { BANK_HOLIDAY_EXCEPTIONS } from '../../domain/bank-holidays';
import { CATEGORY_CODES } from '../../domain/annex-a';
import { cadenceProblem, laterFact } from '../../domain/evaluate-input';
import { getPolicy, POLICY_IDS } from '../../domain/policies';
import {
  PLAN_EVENT_TYPES,
  type IdentifiedEvent,
  type IsoDate,
  type PlanEvent,
  type PlanFacts,
  type PlanType,
  type Policy,
  type PolicyId,
} from '../../domain/types';

/** The earliest date the intake accepts (issue 9). */
export const EARLIEST: IsoDate = '1900-01-01';
/** Stands in for the intake's coming upper bound ("a bound after today"): any sensible bound lies before it. */
export const LATEST: IsoDate = '2099-12-31';

/** A plan as the engine is given it, and the day it is evaluated (today, for the intake). */
export interface PlanCase {
  policy: Policy;
  plan: PlanFacts;
  /** Unique ids, in a random arrival order; dated startedOn..asOf, bookings also after asOf. */
  events: IdentifiedEvent[];
  asOf: IsoDate;
}

const YEARS = fc.integer({ min: 1900, max: 2099 });

/** A day between two dates, both included. */
export function dayBetween(from: IsoDate, to: IsoDate): fc.Arbitrary<IsoDate> {
  return fc.integer({ min: 0, max: daysBetween(from, to) }).map((n) => addDays(from, n));
}

/** Within two weeks either side of a date. */
const near = (dates: fc.Arbitrary<IsoDate>): fc.Arbitrary<IsoDate> =>
  fc.tuple(dates, fc.integer({ min: -14, max: 14 })).map(([date, n]) => addDays(date, n));

const bankHoliday = YEARS.chain((year) => fc.constantFrom(...bankHolidaysIn(year)));
const oneOffBankHoliday = fc.constantFrom(
  ...BANK_HOLIDAY_EXCEPTIONS.flatMap((e) => [e.add.date, e.remove ?? e.add.date]),
);
/** The last Sunday of March or October: Europe/London's clock changes. */
const clockChange = fc.tuple(YEARS, fc.constantFrom('03', '10')).map(([year, month]) => {
  const last = `${year}-${month}-31`;
  return addDays(last, -dayOfWeek(last));
});
const monthEnd = fc
  .tuple(YEARS, fc.integer({ min: 1, max: 12 }))
  .map(([year, month]) =>
    addDays(month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`, -1),
  );

/** A start date in the intake's range, weighted towards the calendar's awkward days. */
export const startedOnArb: fc.Arbitrary<IsoDate> = fc
  .oneof(dayBetween(EARLIEST, LATEST), near(bankHoliday), near(oneOffBankHoliday), near(clockChange), near(monthEnd))
  .filter((date) => compareDates(date, EARLIEST) >= 0 && compareDates(date, LATEST) <= 0);

/** Every policy with every plan type it has rules for (the intake's "policy x plan type the engine can evaluate"). */
export const POLICY_PLAN_TYPES: ReadonlyArray<{ policyId: PolicyId; type: PlanType }> = POLICY_IDS.flatMap((id) => [
  { policyId: id, type: 'child-protection' as const },
  ...(getPolicy(id).childInNeed === undefined ? [] : [{ policyId: id, type: 'child-in-need' as const }]),
]);

const policyPlanType = fc.constantFrom(...POLICY_PLAN_TYPES);

/** Day offsets of a run of meetings: each after the previous by `0..maxGap` days (0: the same day twice). */
const series = (maxFirst: number, maxGap: number, maxLength: number): fc.Arbitrary<number[]> =>
  fc
    .tuple(fc.integer({ min: 0, max: maxFirst }), fc.array(fc.integer({ min: 0, max: maxGap }), { maxLength }))
    .map(([first, gaps]) => gaps.reduce((acc, gap) => [...acc, acc[acc.length - 1]! + gap], [first]));

/** Every event type there is (issue 10's among them). */
const anyType = fc.constantFrom(...PLAN_EVENT_TYPES);

/**
 * An event of `type` on `on`; a record circulated (or minutes received) records a meeting `meetingBack` days before
 * (0: the same day). A cadence is any the intake's shape allows (1-12 weeks), looser than the policy's or not: the
 * intake refuses a looser one, the engine must not throw on either.
 */
export function eventOf(type: PlanEvent['type'], on: IsoDate, meetingBack = 0): PlanEvent {
  switch (type) {
    case 'record-circulated':
    case 'minutes-received':
      return { type, on, meetingOn: addDays(on, -meetingBack) };
    case 'cadence-set':
      return { type, on, interval: { weeks: 1 + (meetingBack % 12) } };
    case 'access-denied':
      return { type, on, by: 'health' };
    case 'worker-allocated':
      return { type, on, role: 'social-worker', person: `p-${meetingBack}` };
    case 'member-joined':
    case 'member-left':
      return { type, on, agency: 'education', person: `p-${meetingBack}` };
    case 'team-changed':
      return { type, on, team: `team-${meetingBack}` };
    default:
      return { type, on };
  }
}

/**
 * The events of one plan, as day offsets from its start and with no ids yet: runs of core groups (or child in need
 * meetings), visits and review conferences at about the rules' cadences, so chains grow long and are met both on time
 * and late; records circulated for some meetings (some late, some twice); and a few events of every type on any day.
 */
const eventsFrom = (startedOn: IsoDate, horizon: number): fc.Arbitrary<PlanEvent[]> => {
  const day = fc.integer({ min: 0, max: horizon });
  const at = (offset: number) => addDays(startedOn, offset);
  return fc
    .record({
      held: fc.option(series(20, 70, 14), { nil: [] }),
      seen: fc.option(series(15, 20, 40), { nil: [] }),
      reviews: fc.option(series(120, 220, 4), { nil: [] }),
      recordDelays: fc.array(fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }), { maxLength: 14 }),
      // A record circulated again (a correction) some days after its first circulation.
      recirculated: fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined, freq: 2 }), {
        maxLength: 14,
      }),
      cancelled: fc.array(day, { maxLength: 3 }),
      bookings: fc.array(fc.integer({ min: 0, max: horizon + 200 }), { maxLength: 3 }),
      ended: fc.option(day, { nil: undefined, freq: 3 }),
      extras: fc.array(fc.tuple(anyType, day, fc.integer({ min: 0, max: 30 })), { maxLength: 8 }),
    })
    .map((g) => {
      const events: PlanEvent[] = [];
      g.held.forEach((offset, i) => {
        events.push(eventOf('core-group-held', at(offset)));
        const delay = g.recordDelays[i];
        if (delay === undefined) return;
        events.push(eventOf('record-circulated', at(offset + delay), delay));
        const again = g.recirculated[i];
        if (again !== undefined) events.push(eventOf('record-circulated', at(offset + delay + again), delay + again));
      });
      for (const offset of g.seen) events.push(eventOf('child-seen', at(offset)));
      for (const offset of g.reviews) events.push(eventOf('review-conference-held', at(offset)));
      for (const offset of g.cancelled) events.push(eventOf('core-group-cancelled', at(offset)));
      if (g.ended !== undefined) events.push(eventOf('plan-ended', at(g.ended)));
      for (const [type, offset, back] of g.extras) events.push(eventOf(type, at(offset), back));
      // Nothing after "today" but bookings (events.ts); bookings may be for any later day.
      const known = events.filter((e) => daysBetween(startedOn, e.on) <= horizon);
      for (const offset of g.bookings) known.push(eventOf('core-group-scheduled', at(offset)));
      return known;
    });
};

/** The events in a random arrival order, with unique ids. */
const arrived = (events: PlanEvent[]): fc.Arbitrary<IdentifiedEvent[]> =>
  fc
    .shuffledSubarray(events, { minLength: events.length, maxLength: events.length })
    .map((shuffled) => shuffled.map((e, i) => ({ ...e, id: `ev-${i}` })));

/** A plan of any supported policy and type, its events, and the day it is evaluated (up to three years in). */
export function planCaseArb(options: { maxYears?: number } = {}): fc.Arbitrary<PlanCase> {
  const maxDays = Math.round((options.maxYears ?? 3) * 365);
  return fc
    .record({ pt: policyPlanType, startedOn: startedOnArb, horizon: fc.integer({ min: 0, max: maxDays }) })
    .chain(({ pt, startedOn, horizon }) =>
      eventsFrom(startedOn, horizon)
        .chain(arrived)
        .map((events) => ({
          policy: getPolicy(pt.policyId),
          plan: { type: pt.type, startedOn },
          events,
          asOf: addDays(startedOn, horizon),
        })),
    );
}

/**
 * The same plans as JSON the public input schema (`parseEvaluateInput`) is given, with the optional fields the schema
 * allows (which the engine must ignore) and ids that may repeat or be missing (the schema allows both; the engine
 * counts an id's first event). Free text is printable ASCII: the engine never reads it, and which characters text
 * may hold is the intake's own rule (NUL and lone surrogates are being refused there), tested at the edge.
 */
/**
 * The events of a case the intake would take (issue 9 and 10): no plan-ended before a fact recorded after it, and no
 * cadence-set the plan's policy refuses (looser than its standing interval, or on a child in need plan).
 */
function intakeAccepts(c: PlanCase): IdentifiedEvent[] {
  return c.events.filter((e) => {
    if (e.type === 'plan-ended') return laterFact(c.events, e.on) === undefined;
    if (e.type === 'cadence-set') return cadenceProblem(c.policy, c.plan.type, e.interval) === undefined;
    // Dates before 1900-01-01 are outside what the intake holds (domain/input-policy.ts).
    if (e.type === 'record-circulated' || e.type === 'minutes-received')
      return compareDates(e.meetingOn, EARLIEST) >= 0;
    return true;
  });
}

export function intakeInputArb(): fc.Arbitrary<{ json: unknown; asOf: IsoDate }> {
  const text = fc.string({ maxLength: 12, unit: 'grapheme-ascii' });
  const bool = fc.boolean();
  const extra = (type: PlanEvent['type']): fc.Arbitrary<Record<string, unknown>> => {
    switch (type) {
      case 'core-group-held':
        return fc.record(
          {
            parentsPresent: bool,
            childViewsRecorded: bool,
            attendance: fc.record(
              {
                present: fc.array(fc.record({ agency: text.filter((s) => s !== '') }), { maxLength: 2 }),
                socialWorkerPresent: bool,
              },
              { requiredKeys: [] },
            ),
          },
          { requiredKeys: [] },
        );
      case 'core-group-cancelled':
        return fc.record({ reason: text }, { requiredKeys: [] });
      case 'child-seen':
        return fc.record({ seenAlone: bool }, { requiredKeys: [] });
      case 'review-conference-held':
        return fc.record(
          { category: fc.constantFrom(...(Object.keys(CATEGORY_CODES) as Array<keyof typeof CATEGORY_CODES>)) },
          { requiredKeys: [] },
        );
      case 'non-engagement-reported':
        return fc.record({ detail: text }, { requiredKeys: [] });
      default:
        return fc.constant({});
    }
  };
  const id = fc.option(fc.constantFrom('a', 'b', 'c', 'LL-77', 'imp-1'), { nil: undefined });
  return planCaseArb().chain((c) => {
    const accepted = intakeAccepts(c);
    return fc.tuple(...accepted.map((e) => fc.tuple(extra(e.type), id))).map((extras) => ({
      asOf: c.asOf,
      json: {
        policy: c.policy.id,
        plan: c.plan,
        events: accepted.map((event, i) => {
          const [fields, maybeId] = extras[i]!;
          const { id: unique, ...rest } = event;
          // Half the events keep their unique id, the rest get one that may repeat, or none.
          const chosen = i % 2 === 0 ? unique : maybeId;
          return { ...rest, ...fields, ...(chosen === undefined ? {} : { id: chosen }) };
        }),
      },
    }));
  });
}
