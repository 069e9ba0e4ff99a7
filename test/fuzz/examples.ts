/**
 * Requests a real client would send, handed to schemathesis as explicit examples (fuzz_hooks.py's
 * before_add_examples): the fuzzer's own values almost never make a plan the partnership can accept (a real team, real
 * people holding every role the ladder needs, a start on or before today), so without these the API's accepted-write
 * paths, and the witness's view of them, would go untested. They run in the examples phase, through every check that
 * applies to a hand-made case (no 5xx, documented statuses, response schemas, the stored-row witness).
 *
 * Written as JSON for the hook, keyed by "METHOD /path/{template}".
 */
import { addDays, addWorkingDays } from '../../domain/calendar';
import { seedPlans, TODAY, REPORT_ID, REPORT_MONTH, OTHER_PARTNERSHIP, PARTNERSHIP } from './seed';

export interface ExampleRequest {
  path_parameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

export type Examples = Record<string, ExampleRequest[]>;

/** `cursors` are real ones the lists gave out, by list ('api', '/overdue', '/escalations'), next and previous. */
export function exampleRequests(cursors: Record<string, { next?: string; previous?: string }>): Examples {
  const plans = seedPlans();
  const open = plans.filter((p) => !p.events.some((e) => e.type === 'plan-ended'));
  const newPlans = Array.from({ length: 12 }, (_, i) => {
    const model = plans[i]!;
    return {
      reference: `FZ-NEW-${String(i + 1).padStart(3, '0')}`,
      teamId: model.teamId,
      child:
        i % 3 === 0
          ? { localChildId: model.child.localChildId }
          : { localChildId: `FZC-NEW-${i + 1}`, name: `New Child ${i + 1}`, dateOfBirth: '2019-05-06' },
      policy: model.policyId,
      type: model.type,
      startedOn: addDays(TODAY, -i * 3),
      people: model.roles,
      ...(model.annexA ? { annexA: { ...model.annexA, emergencyProtectionLast6Months: i % 2 === 0 } } : {}),
    };
  });
  const event = (planId: string, n: number) => {
    const kind = n % 4;
    if (kind === 0) return { id: `${planId}-fz-${n}`, type: 'child-seen', on: TODAY, seenAlone: true };
    if (kind === 1) return { id: `${planId}-fz-${n}`, type: 'core-group-scheduled', on: addWorkingDays(TODAY, 5) };
    if (kind === 2)
      return {
        id: `${planId}-fz-${n}`,
        type: 'non-engagement-reported',
        on: addDays(TODAY, -1),
        detail: 'No answer at the door.',
      };
    return {
      id: `${planId}-fz-${n}`,
      type: 'core-group-held',
      on: TODAY,
      parentsPresent: true,
      attendance: { socialWorkerPresent: true },
    };
  };
  const withCursor = (list: string, query: Record<string, string>, name: { next: string; previous: string }) => {
    const c = cursors[list] ?? {};
    return [
      ...(c.next ? [{ query: { ...query, [name.next]: c.next } }] : []),
      ...(c.previous ? [{ query: { ...query, [name.previous]: c.previous } }] : []),
    ];
  };

  return {
    'POST /api/v1/plans': [
      ...newPlans.map((body) => ({ body })),
      // The same plan again: 'existing'; a seeded reference with other details: a conflict.
      { body: newPlans[0] },
      { body: { ...newPlans[1], reference: plans[0]!.id } },
    ],
    'POST /api/v1/plans/{planId}/events': [
      ...open.slice(0, 12).map((p, i) => ({ path_parameters: { planId: p.id }, body: event(p.id, i) })),
      // Sent again: a duplicate; a recorded id with other content: a conflict; the other partnership's plan: 404.
      { path_parameters: { planId: open[0]!.id }, body: event(open[0]!.id, 0) },
      { path_parameters: { planId: plans[0]!.id }, body: { ...event(plans[0]!.id, 0), id: plans[0]!.events[0]!.id } },
      { path_parameters: { planId: 'OS-0001' }, body: event('OS-0001', 0) },
      // The end of a plan, then an event after it.
      {
        path_parameters: { planId: open[13]!.id },
        body: { id: `${open[13]!.id}-fz-end`, type: 'plan-ended', on: TODAY },
      },
    ],
    'POST /api/v1/plans/{planId}/events/batch': open.slice(14, 20).map((p, i) => ({
      path_parameters: { planId: p.id },
      body: { events: [event(p.id, 100 + i), event(p.id, 101 + i), event(p.id, 102 + i)] },
    })),
    'GET /api/v1/plans': [
      { query: {} },
      { query: { overdue: 'true', limit: '5' } },
      { query: { team: 'fz-cp-2', kind: 'first-core-group', minDaysOverdue: '3' } },
      { query: { socialWorker: 'fz-sw-3', status: 'open', policy: 'england' } },
      { query: { status: 'ended' } },
      ...withCursor('api', { limit: '5' }, { next: 'cursor', previous: 'before' }),
    ],
    'GET /api/v1/plans/{planId}': [
      ...plans.slice(0, 8).map((p) => ({ path_parameters: { planId: p.id } })),
      { path_parameters: { planId: plans[3]!.id }, query: { asOf: addDays(TODAY, -60) } },
      { path_parameters: { planId: 'OS-0002' } },
    ],
    'GET /api/v1/partnerships/{id}/compliance': [
      { path_parameters: { id: PARTNERSHIP }, query: { month: REPORT_MONTH } },
      { path_parameters: { id: PARTNERSHIP }, query: { month: '2025-09' } },
      { path_parameters: { id: OTHER_PARTNERSHIP }, query: { month: REPORT_MONTH } },
    ],
    'GET /api/v1/reports/{id}/download': [{ path_parameters: { id: REPORT_ID } }],
    // The dashboard's pages.
    'GET /plans/{planId}': plans.slice(0, 9).map((p) => ({ path_parameters: { planId: p.id } })),
    'GET /reports/{id}/download': [{ path_parameters: { id: REPORT_ID } }],
    'GET /overdue': [
      { query: {} },
      { query: { team: 'fz-cp-1', socialWorker: '', kind: '', minDaysOverdue: '' } },
      { query: { kind: 'child-seen', minDaysOverdue: '5' } },
      ...withCursor('/overdue', {}, { next: 'after', previous: 'before' }),
    ],
    'GET /escalations': [
      { query: {} },
      { query: { team: 'fz-cp-2', kind: 'first-core-group' } },
      ...withCursor('/escalations', {}, { next: 'after', previous: 'before' }),
    ],
  };
}
