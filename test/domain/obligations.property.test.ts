/**
 * Properties of the obligations engine (issue 9: "for random plans and events, obligations are ordered, a met
 * obligation never becomes overdue, adding a later event never changes an earlier due date, the engine never throws
 * on input the intake accepts, and every accepted plan can be evaluated"), over random plans of every policy and
 * every plan type it has rules for, started on any day from 1900 to 2099 (more often near bank holidays, clock
 * changes and month ends), with random events of every type. The generators, and which intake rule each of their
 * constraints stands for, are test/support/plan-arbitraries.ts.
 *
 * A failing property prints its counterexample and the seed and path that replay it:
 * `fc.assert(..., { seed, path, endOnFailure: true })`.
 */
import fc from 'fast-check';
import { addDays, daysBetween } from '../../domain/calendar';
import { parseEvaluateInput } from '../../domain/evaluate-input';
import { evaluatePlan, PlanInputError } from '../../domain/obligations';
import { getPolicy, POLICY_IDS } from '../../domain/policies';
import type { IdentifiedEvent, IsoDate, Obligation, PlanEvent, PlanType } from '../../domain/types';
import { PLAN_EVENT_TYPES } from '../../domain/types';
import {
  dayBetween,
  EARLIEST,
  eventOf,
  intakeInputArb,
  LATEST,
  planCaseArb,
  POLICY_PLAN_TYPES,
  startedOnArb,
  type PlanCase,
} from '../support/plan-arbitraries';

/** Each property takes a second or two at this many runs; the file stays well under a minute. */
const RUNS = { numRuns: 300 };

function evaluate(c: PlanCase, events: readonly PlanEvent[] = c.events, asOf: IsoDate = c.asOf): Obligation[] {
  return evaluatePlan({ policy: c.policy, plan: c.plan, events }, asOf);
}

const byKey = (obligations: readonly Obligation[]) => new Map(obligations.map((o) => [o.key, o] as const));

/** ISO dates of four-digit years sort as text: the tests compare them without the calendar under test. */
const onOrBefore = (a: IsoDate, b: IsoDate): boolean => a <= b;

/** The day the plan ended as known on `asOf` (the earliest plan-ended on or before it), read without the engine. */
function endedOn(events: readonly PlanEvent[], asOf: IsoDate): IsoDate | undefined {
  const ends = events.filter((e) => e.type === 'plan-ended' && onOrBefore(e.on, asOf)).map((e) => e.on);
  return ends.sort()[0];
}

/** The obligation chains of a plan (a chain has one unmet link, its head, while the plan is open). */
const CHAINS: Record<PlanType, Array<{ kinds: readonly string[]; present: (c: PlanCase) => boolean }>> = {
  'child-protection': [
    { kinds: ['first-core-group', 'core-group'], present: () => true },
    { kinds: ['review-conference'], present: () => true },
    { kinds: ['child-seen'], present: (c) => c.policy.childProtection.childSeen !== undefined },
  ],
  'child-in-need': [{ kinds: ['cin-meeting'], present: () => true }],
};

describe('the order of obligations', () => {
  // What evaluatePlan promises ("sorted by due date, ties by key"), precisely: ascending due date; on the same due
  // date, ascending key in UTF-16 code-unit order (JavaScript's `<` on strings, not a locale's collation); and every
  // key at most once in a plan (one meeting per day), so the order is total. Events arrive in any order (the
  // workflow sees them as they come, the read model reads them by date), and with unique ids the result is the same.

  it('is ascending due date, then key in code-unit order, with every key once', () => {
    fc.assert(
      fc.property(planCaseArb(), (c) => {
        const result = evaluate(c);
        const keys = result.map((o) => o.key);
        expect(new Set(keys).size).toBe(keys.length);
        const expected = [...result].sort((a, b) =>
          a.due !== b.due ? (a.due < b.due ? -1 : 1) : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
        );
        expect(result.map((o) => [o.due, o.key])).toEqual(expected.map((o) => [o.due, o.key]));
      }),
      RUNS,
    );
  });

  it('does not depend on the order the events arrived in', () => {
    const arb = planCaseArb().chain((c) =>
      fc
        .shuffledSubarray(c.events, { minLength: c.events.length, maxLength: c.events.length })
        .map((reordered) => ({ c, reordered })),
    );
    fc.assert(
      fc.property(arb, ({ c, reordered }) => {
        expect(evaluate(c, reordered)).toEqual(evaluate(c));
      }),
      RUNS,
    );
  });

  it('states each obligation as the documented rules say: clock, met day, status, plan end, one open head a chain', () => {
    fc.assert(
      fc.property(planCaseArb(), (c) => {
        const result = evaluate(c);
        const end = endedOn(c.events, c.asOf);
        for (const o of result) {
          // Every policy interval is positive: a deadline falls after the day its clock started.
          expect(o.from < o.due).toBe(true);
          // Met by a known event: not before its clock started, not after asOf.
          if (o.metOn !== undefined) expect(onOrBefore(o.from, o.metOn) && onOrBefore(o.metOn, c.asOf)).toBe(true);
          const status =
            o.metOn !== undefined
              ? onOrBefore(o.metOn, o.due)
                ? 'met'
                : 'late'
              : onOrBefore(c.asOf, o.due)
                ? 'pending'
                : 'overdue';
          expect(o.status).toBe(status);
          // Nothing falls due after the plan ends, unless it was met by then.
          if (end !== undefined) expect(onOrBefore(o.due, end) || (o.metOn ?? '9999') <= end).toBe(true);
          expect(o.rulesVersion).toBe(`${c.policy.id}@${c.policy.version}`);
        }
        // While the plan is open, every chain has exactly one unmet link: the plan always has a next deadline
        // (Plan.nextDue, the dashboard's "next due"). After it ends, at most one.
        for (const chain of CHAINS[c.plan.type]) {
          const links = result.filter((o) => chain.kinds.includes(o.kind));
          const open = links.filter((o) => o.metOn === undefined).length;
          if (!chain.present(c)) expect(links).toEqual([]);
          else if (end === undefined) expect(open).toBe(1);
          else expect(open).toBeLessThanOrEqual(1);
        }
      }),
      RUNS,
    );
  });
});

describe('as asOf advances', () => {
  // Moving asOf later only makes later-dated events known, and every chain reads its events in date order, so what
  // was known stays a prefix of what is known.
  const arb = planCaseArb().chain((c) =>
    dayBetween(addDays(c.plan.startedOn, -30), c.asOf).map((earlier) => ({ c, earlier })),
  );

  it('a met (or late) obligation stays exactly as it was, and an overdue one stays overdue or becomes late', () => {
    fc.assert(
      fc.property(arb, ({ c, earlier }) => {
        const later = byKey(evaluate(c));
        for (const o of evaluate(c, c.events, earlier)) {
          const now = later.get(o.key);
          if (o.status === 'met' || o.status === 'late') expect(now).toEqual(o);
          if (o.status === 'overdue') {
            expect(now).toMatchObject({ due: o.due, from: o.from, kind: o.kind });
            expect(['overdue', 'late']).toContain(now?.status);
          }
        }
      }),
      RUNS,
    );
  });
});

describe('adding an event', () => {
  // Which due dates an added event (dated D) can change, read from the engine: a chain's n-th deadline runs from the
  // day its (n-1)-th link was met, so inserting a meeting, visit or review conference before that day renumbers the
  // chain and moves every later link's due date (the rule "later deadlines run from the date the previous one was
  // actually met"; shown by the example below). A record's and a rescheduled core group's deadline run from their own
  // meeting or cancellation and never move. So the property holds for every obligation whose clock started on or
  // before D (`from <= D`), and therefore, for an event dated on or after every event already known, for every
  // obligation. The one way an obligation goes: a plan-ended on D drops what falls due after D unless met by then.
  // A cadence set by a conference on D (issue 10) governs, from the next meeting, the core groups whose clock starts
  // on or after D, when it is stricter: for it the property holds for the clocks started before D.
  const added = (c: PlanCase, on: fc.Arbitrary<IsoDate>) =>
    fc
      .record({
        type: fc.constantFrom(...PLAN_EVENT_TYPES),
        on,
        back: fc.integer({ min: 0, max: 30 }),
        at: fc.integer({ min: 0, max: c.events.length }),
      })
      .map(({ type, on, back, at }) => {
        const event: IdentifiedEvent = { ...eventOf(type, on, back), id: 'added' };
        return { c, event, events: [...c.events.slice(0, at), event, ...c.events.slice(at)] };
      });

  function check(c: PlanCase, event: IdentifiedEvent, events: readonly PlanEvent[], all: boolean): void {
    const after = byKey(evaluate(c, events));
    for (const o of evaluate(c)) {
      if (!all && !onOrBefore(o.from, event.on)) continue;
      if (event.type === 'cadence-set' && onOrBefore(event.on, o.from)) continue;
      const dropped =
        event.type === 'plan-ended' && !onOrBefore(o.due, event.on) && !(o.metOn !== undefined && o.metOn <= event.on);
      if (dropped) expect(after.get(o.key)).toBeUndefined();
      else expect(after.get(o.key)).toMatchObject({ due: o.due, from: o.from, kind: o.kind, rule: o.rule });
    }
  }

  it('dated D leaves the due date of every obligation whose clock started on or before D', () => {
    const arb = planCaseArb().chain((c) => added(c, dayBetween(c.plan.startedOn, c.asOf)));
    fc.assert(
      fc.property(arb, ({ c, event, events }) => check(c, event, events, false)),
      RUNS,
    );
  });

  it('dated on or after every known event leaves every due date (a plan-ended drops only what falls due after it)', () => {
    const arb = planCaseArb().chain((c) => {
      const latest = c.events
        .map((e) => e.on)
        .filter((on) => onOrBefore(on, c.asOf))
        .reduce((a, b) => (a < b ? b : a), c.plan.startedOn);
      return added(c, dayBetween(latest, c.asOf));
    });
    fc.assert(
      fc.property(arb, ({ c, event, events }) => check(c, event, events, true)),
      RUNS,
    );
  });

  it('dated before a link started moves that link: a core group recorded late resets the cadence after it', () => {
    // England: ICPC Mon 2025-09-01; core groups held Thu 2025-09-11 and Thu 2025-10-23. The core group after the one
    // of 23 October is due six weeks after it: Thu 2025-12-04. A core group held Wed 2025-10-01, recorded later,
    // comes between them: the next one is now due six weeks after it, Wed 2025-11-12 (met on 23 October), and the
    // one of 4 December runs from 23 October as before (the rule: each runs from the date the previous one was held).
    const policy = getPolicy('england');
    const plan = { type: 'child-protection' as const, startedOn: '2025-09-01' };
    const held = (on: IsoDate, id: string): IdentifiedEvent => ({ type: 'core-group-held', on, id });
    const known = [held('2025-09-11', 'a'), held('2025-10-23', 'b')];
    const coreGroups = (events: IdentifiedEvent[]) =>
      evaluatePlan({ policy, plan, events }, '2025-11-20')
        .filter((o) => o.kind === 'core-group')
        .map(({ from, due, status }) => ({ from, due, status }));
    expect(coreGroups(known)).toEqual([
      { from: '2025-09-11', due: '2025-10-23', status: 'met' },
      { from: '2025-10-23', due: '2025-12-04', status: 'pending' },
    ]);
    expect(coreGroups([...known, held('2025-10-01', 'late-recorded')])).toEqual([
      { from: '2025-09-11', due: '2025-10-23', status: 'met' },
      { from: '2025-10-01', due: '2025-11-12', status: 'met' },
      { from: '2025-10-23', due: '2025-12-04', status: 'pending' },
    ]);
  });
});

describe('input the intake accepts', () => {
  it('never makes the engine throw, whatever day it is evaluated on', () => {
    const arb = fc.tuple(intakeInputArb(), dayBetween('0000-01-01', '9999-12-31'));
    fc.assert(
      fc.property(arb, ([{ json, asOf }, anyDay]) => {
        // Outside the intake's rules the generator itself is wrong: this throws, and the property fails.
        const input = parseEvaluateInput(json);
        for (const day of [asOf, anyDay]) {
          expect(() => evaluatePlan({ ...input, policy: getPolicy(input.policy) }, day)).not.toThrow();
        }
      }),
      RUNS,
    );
  });

  it("every plan of every policy and plan type, started on any day of 2020-2035 or of the range's first and last year, can be evaluated", () => {
    // Every start day of the years plans are registered in now, and the first and last year of the range the intake
    // accepts, with each policy x plan type, as of its start: the plans as they are registered, before any event.
    // (Every day of 1900-2099 takes half a minute; the properties above draw start days from all of it.) Evaluation as
    // of another day differs only in statuses.
    const spans: Array<[IsoDate, IsoDate]> = [
      ['2020-01-01', '2035-12-31'],
      [EARLIEST, '1900-12-31'],
      ['2099-01-01', LATEST],
    ];
    let evaluated = 0;
    for (const { policyId, type } of POLICY_PLAN_TYPES) {
      const policy = getPolicy(policyId);
      for (const [first, last] of spans) {
        for (let startedOn = first; startedOn <= last; startedOn = addDays(startedOn, 1)) {
          const result = evaluatePlan({ policy, plan: { type, startedOn }, events: [] }, startedOn);
          // The open head of each of its chains, pending on day 0 (an expect per day would take seconds).
          const heads = CHAINS[type].filter((chain) =>
            chain.present({ policy, plan: { type, startedOn }, events: [], asOf: startedOn }),
          );
          if (result.length !== heads.length || result.some((o) => o.status !== 'pending')) {
            throw new Error(`${policyId} ${type} from ${startedOn}: ${JSON.stringify(result)}`);
          }
          evaluated += 1;
        }
      }
    }
    expect(evaluated).toBe((5844 + 365 + 365) * POLICY_PLAN_TYPES.length);
  });
});

describe('input the engine cannot evaluate', () => {
  // Today's public schema accepts any real date in 0000-01-01..9999-12-31 and any policy with any plan type. Some of
  // that the engine cannot evaluate (a deadline after 9999-12-31, a child in need plan under a policy without child
  // in need rules): it must say so as a PlanInputError naming the field, which every reader handles as "cannot be
  // evaluated" (the read model records it, the API answers 422, the workflow fails without retrying), never with
  // another error, which the read model's rebuild, the API and the workflow treat as a crash.
  const anyDate = fc.oneof(
    dayBetween('0000-01-01', '9999-12-31'),
    dayBetween('9999-06-01', '9999-12-31'),
    dayBetween('0000-01-01', '0000-03-01'),
  );
  const arb = fc
    .record({
      policyId: fc.constantFrom(...POLICY_IDS),
      type: fc.constantFrom<PlanType>('child-protection', 'child-in-need'),
      startedOn: anyDate,
      asOf: anyDate,
    })
    .chain((p) =>
      fc
        .array(
          fc.tuple(
            fc.constantFrom(...PLAN_EVENT_TYPES),
            dayBetween(p.startedOn, '9999-12-31'),
            fc.integer({ min: 0, max: 30 }),
          ),
          { maxLength: 6 },
        )
        .map((events) => ({
          ...p,
          events: events.map(([type, on, back]) => eventOf(type, on, Math.min(back, daysBetween('0000-01-01', on)))),
        })),
    );

  it('is refused with a PlanInputError naming the field, never another error', () => {
    fc.assert(
      fc.property(arb, ({ policyId, type, startedOn, asOf, events }) => {
        try {
          evaluatePlan({ policy: getPolicy(policyId), plan: { type, startedOn }, events }, asOf);
        } catch (error) {
          expect(error).toBeInstanceOf(PlanInputError);
          expect((error as PlanInputError).path).toMatch(/^(plan\.(type|startedOn)|events\[\d+\]\.on)$/);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('names the date a deadline after 9999-12-31 would run from', () => {
    const policy = getPolicy('england');
    const evaluate9999 = (startedOn: IsoDate, events: PlanEvent[]) => () =>
      evaluatePlan({ policy, plan: { type: 'child-protection', startedOn }, events }, '9999-12-31');
    // The first review conference, three months after a start of 1 October 9999, would be 1 January 10000.
    expect(evaluate9999('9999-10-01', [])).toThrow(PlanInputError);
    expect(evaluate9999('9999-10-01', [])).toThrow(/^plan\.startedOn: review-conference#1 .*9999-10-01/);
    // A core group held on 20 December 9999: the next one, six weeks on, would fall in the year 10000.
    const held = evaluate9999('2026-01-05', [
      { type: 'child-seen', on: '2026-01-06' },
      { type: 'core-group-held', on: '9999-12-20' },
    ]);
    expect(held).toThrow(/^events\[1\]\.on: core-group#2 .*9999-12-20/);
  });
});

test('the generated start dates stay in the intake range and spread over its years', () => {
  const starts = fc.sample(startedOnArb, { numRuns: 2000, seed: 9 });
  expect(starts.every((d) => d >= EARLIEST && d <= LATEST)).toBe(true);
  expect(new Set(starts.map((d) => d.slice(0, 4))).size).toBeGreaterThan(150);
});
