/**
 * The obligations read model on a real PostgreSQL database: written with every plan and event write in the same
 * transaction (so a refused write leaves nothing, and a reader never sees events without their obligations), storing
 * no status, equal to a rebuild from the event log, and honest about a plan the engine cannot evaluate.
 */
import { evaluatePlan } from '../../../domain/obligations';
import { getPolicy, rulesVersionOf } from '../../../domain/policies';
import { Refusal } from '../../../domain/refusal';
import type { IdentifiedEvent, IsoDate, PolicyId } from '../../../domain/types';
import { createPlan, rebuildReadModel, recordEvents, type NewPlan } from '../../../services/plan-data';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { planRoles, seedPartnership } from '../../support/fixtures';

const TODAY = '2026-06-15';
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('read_model');
  await seedPartnership(db.prisma);
});
afterAll(async () => db?.drop());

function plan(
  id: string,
  startedOn: IsoDate,
  policyId: PolicyId = 'england',
  type: NewPlan['type'] = 'child-protection',
  localChildId = `LC-${id}`,
): NewPlan {
  return {
    id,
    partnershipId: 'testshire',
    teamId: 'team-a',
    child: { localChildId, name: 'Test Child' },
    policyId,
    type,
    startedOn,
    roles: planRoles(),
  };
}

/** The stored read model of a plan, as comparable rows. */
async function stored(planId: string) {
  const rows = await db.prisma.obligation.findMany({
    where: { planId },
    orderBy: { key: 'asc' },
    include: { rule: true },
  });
  return rows.map((r) => ({
    key: r.key,
    kind: r.kind,
    due: r.due.toISOString().slice(0, 10),
    metOn: r.metOn?.toISOString().slice(0, 10) ?? null,
    from: r.fromDate.toISOString().slice(0, 10),
    ruleId: r.ruleId,
    rulesVersion: r.rulesVersion,
    quote: r.rule.quote,
    teamId: r.teamId,
  }));
}

async function refusal(promise: Promise<unknown>): Promise<Refusal> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Refusal);
  return error as Refusal;
}

describe('writing the read model with the plan', () => {
  it('stores every obligation the engine computes under the pinned rules, with citations, and the next due one', async () => {
    await createPlan(db.prisma, plan('RM-1', '2026-06-01'), TODAY);
    const expected = evaluatePlan(
      { policy: getPolicy('england'), plan: { type: 'child-protection', startedOn: '2026-06-01' }, events: [] },
      TODAY,
    );
    const rows = await stored('RM-1');
    expect(rows.map((r) => [r.key, r.due, r.metOn])).toEqual(
      [...expected].sort((a, b) => (a.key < b.key ? -1 : 1)).map((o) => [o.key, o.due, o.metOn ?? null]),
    );
    expect(rows.every((r) => r.rulesVersion === rulesVersionOf(getPolicy('england')) && r.quote.length > 0)).toBe(true);
    const row = await db.prisma.plan.findUniqueOrThrow({ where: { id: 'RM-1' } });
    const first = [...expected].sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.key < b.key ? -1 : 1))[0]!;
    expect({ key: row.nextDueKey, due: row.nextDueOn?.toISOString().slice(0, 10) }).toEqual({
      key: first.key,
      due: first.due,
    });
    expect(row.endedOn).toBeNull();
  });

  it('stores no status: whether something is overdue is read, not written', async () => {
    const columns = await db.prisma.$queryRaw<Array<{ column_name: string }>>`
      SELECT column_name FROM information_schema.columns WHERE table_name = 'Obligation'`;
    expect(columns.map((c) => c.column_name)).not.toContain('status');
  });

  it('refreshes with the events stored, meeting obligations and ending the plan, in the same transaction', async () => {
    await createPlan(db.prisma, plan('RM-2', '2026-05-01'), TODAY);
    await recordEvents(db.prisma, 'RM-2', [{ id: 'rm2-held', type: 'core-group-held', on: '2026-05-11' }], TODAY);
    expect((await stored('RM-2')).find((r) => r.key === 'first-core-group')?.metOn).toBe('2026-05-11');
    // The record of that meeting is owed now; core group #2 runs from the day it was held.
    expect((await stored('RM-2')).map((r) => r.key)).toEqual(
      expect.arrayContaining(['core-group-record@2026-05-11', 'core-group#2']),
    );

    await recordEvents(db.prisma, 'RM-2', [{ id: 'rm2-end', type: 'plan-ended', on: '2026-06-01' }], TODAY);
    const ended = await db.prisma.plan.findUniqueOrThrow({ where: { id: 'RM-2' } });
    expect(ended.endedOn?.toISOString().slice(0, 10)).toBe('2026-06-01');
    // Nothing falls due after the end: core group #2 (due 22 June) is gone.
    expect((await stored('RM-2')).map((r) => r.key)).not.toContain('core-group#2');
  });

  it('refuses an event dated after today naming its field, and stores nothing of the call; a booking may be ahead', async () => {
    await createPlan(db.prisma, plan('RM-3', '2026-06-01'), TODAY);
    const before = await stored('RM-3');
    const error = await refusal(
      recordEvents(
        db.prisma,
        'RM-3',
        [
          { id: 'rm3-ok', type: 'child-seen', on: '2026-06-05' },
          { id: 'rm3-future', type: 'core-group-held', on: '2026-06-16' },
        ],
        TODAY,
      ),
    );
    expect(error).toMatchObject({ code: 'contradiction', field: 'events[1].on' });
    expect(error.reason).toContain('after today (2026-06-15)');
    expect(await db.prisma.planEvent.count({ where: { planId: 'RM-3' } })).toBe(0);
    expect(await stored('RM-3')).toEqual(before);

    expect(
      await recordEvents(
        db.prisma,
        'RM-3',
        [{ id: 'rm3-booked', type: 'core-group-scheduled', on: '2026-06-30' }],
        TODAY,
      ),
    ).toEqual(['recorded']);
  });

  it('refuses a plan the engine cannot evaluate, leaving no row behind (not even its child)', async () => {
    const error = await refusal(
      createPlan(db.prisma, plan('RM-CIN', '2026-06-01', 'camden', 'child-in-need', 'LC-ORPHAN'), TODAY),
    );
    expect(error).toMatchObject({ code: 'contradiction', field: 'type' });
    expect(error.reason).toContain('no child in need rules');
    expect(await db.prisma.plan.count({ where: { id: 'RM-CIN' } })).toBe(0);
    expect(await db.prisma.child.count({ where: { localChildId: 'LC-ORPHAN' } })).toBe(0);
  });

  it('serialises writers of one plan: events stored concurrently all end up in the stored obligations', async () => {
    await createPlan(db.prisma, plan('RM-4', '2026-04-01', 'camden'), TODAY);
    // Ten visits arriving at once (a bulk import and the API, say), each its own transaction.
    const visits = Array.from({ length: 10 }, (_, i) => `2026-04-${String(2 + i * 2).padStart(2, '0')}`);
    await Promise.all(
      visits.map((on, i) => recordEvents(db.prisma, 'RM-4', [{ id: `rm4-${i}`, type: 'child-seen', on }], TODAY)),
    );
    const met = (await stored('RM-4')).filter((r) => r.kind === 'child-seen' && r.metOn !== null).map((r) => r.metOn);
    expect(met.sort()).toEqual(visits);
  });
});

describe('rebuilding from the event log', () => {
  // Varied plans: several policies, a child in need plan, cancellations and re-held meetings, late records, an end.
  const VARIED: Array<{ plan: NewPlan; events: IdentifiedEvent[] }> = [
    {
      plan: plan('RB-CAM', '2026-01-05', 'camden'),
      events: [
        {
          id: 'rb-cam-1',
          type: 'core-group-held',
          on: '2026-01-15',
          attendance: { socialWorkerPresent: true, present: [{ agency: 'health' }] },
        },
        { id: 'rb-cam-2', type: 'record-circulated', meetingOn: '2026-01-15', on: '2026-01-29' },
        { id: 'rb-cam-3', type: 'core-group-cancelled', on: '2026-02-26' },
        { id: 'rb-cam-4', type: 'core-group-held', on: '2026-03-04' },
        { id: 'rb-cam-5', type: 'child-seen', on: '2026-01-12', seenAlone: true },
      ],
    },
    {
      plan: plan('RB-BAR-CIN', '2026-02-02', 'barnsley', 'child-in-need'),
      events: [
        { id: 'rb-bar-1', type: 'core-group-held', on: '2026-03-10' },
        { id: 'rb-bar-2', type: 'record-circulated', meetingOn: '2026-03-10', on: '2026-03-12' },
      ],
    },
    {
      plan: plan('RB-WAL', '2025-11-03', 'wales'),
      events: [
        { id: 'rb-wal-1', type: 'core-group-held', on: '2025-11-12' },
        { id: 'rb-wal-2', type: 'review-conference-held', on: '2026-01-26', category: 'neglect' },
        { id: 'rb-wal-3', type: 'plan-ended', on: '2026-04-30' },
      ],
    },
    {
      plan: plan('RB-SAN', '2026-05-18', 'sandwell'),
      events: [{ id: 'rb-san-1', type: 'non-engagement-reported', on: '2026-05-20' }],
    },
    { plan: plan('RB-CWM', '2026-03-02', 'cwm-taf'), events: [] },
  ];

  it('gives exactly the table incremental maintenance wrote, and rebuilding again changes nothing', async () => {
    for (const { plan: p, events } of VARIED) {
      await createPlan(db.prisma, p, TODAY);
      // One write per event, as they arrive from a case system.
      for (const e of events) await recordEvents(db.prisma, p.id, [e], TODAY);
    }
    const ids = VARIED.map((v) => v.plan.id);
    const snapshot = async () => {
      const plans = await db.prisma.plan.findMany({
        where: { id: { in: ids } },
        orderBy: { id: 'asc' },
        select: {
          id: true,
          endedOn: true,
          nextDueOn: true,
          nextDueKey: true,
          nextDueKind: true,
          evaluationError: true,
        },
      });
      return { plans, obligations: await Promise.all(ids.map(stored)) };
    };
    const incremental = await snapshot();
    expect(incremental.obligations.every((o) => o.length > 0)).toBe(true);

    // Wipe it, then rebuild from the events alone.
    await db.prisma.obligation.deleteMany({ where: { planId: { in: ids } } });
    await db.prisma.plan.updateMany({
      where: { id: { in: ids } },
      data: { endedOn: null, nextDueOn: null, nextDueKey: null, nextDueKind: null },
    });
    const progress: number[] = [];
    const result = await rebuildReadModel(db.prisma, {
      partnershipId: 'testshire',
      today: TODAY,
      onProgress: (p) => progress.push(p.done),
    });
    expect(result.unevaluable).toEqual([]);
    expect(progress.at(-1)).toBe(result.plans);
    expect(await snapshot()).toEqual(incremental);

    await rebuildReadModel(db.prisma, { partnershipId: 'testshire', today: TODAY });
    expect(await snapshot()).toEqual(incremental);
  });

  it('records why a stored plan cannot be evaluated, and rebuilds the others', async () => {
    await db.prisma.plan.create({
      data: {
        id: 'RB-BAD',
        partnershipId: 'testshire',
        teamId: 'team-a',
        childId: 'child-1',
        policyId: 'atlantis',
        rulesVersion: 'atlantis@1',
        type: 'child-protection',
        startedOn: new Date('2026-03-02T00:00:00Z'),
        workflowId: 'plan-RB-BAD',
      },
    });
    const result = await rebuildReadModel(db.prisma, { partnershipId: 'testshire', today: TODAY });
    expect(result.unevaluable).toEqual([
      { planId: 'RB-BAD', reason: expect.stringContaining("'atlantis' is not a known policy") },
    ]);
    expect(result.plans).toBeGreaterThan(VARIED.length);
    expect((await db.prisma.plan.findUniqueOrThrow({ where: { id: 'RB-BAD' } })).evaluationError).toContain('atlantis');
    expect(await stored('RB-BAD')).toEqual([]);
    expect((await stored('RB-CAM')).length).toBeGreaterThan(0);
  });
});
