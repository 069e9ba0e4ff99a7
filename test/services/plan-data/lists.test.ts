/**
 * The lists people page through, over the read model on a real PostgreSQL database: most overdue first, keyset pages
 * that join up with no row lost or repeated (forwards and back), a total for the whole list, filters by team, social
 * worker, obligation kind and days overdue, and a reader's scope that nothing outside it crosses.
 */
import { addDays, daysBetween } from '../../../domain/calendar';
import { Refusal } from '../../../domain/refusal';
import type { IsoDate } from '../../../domain/types';
import {
  createPlan,
  escalations,
  listPlans,
  overduePlans,
  recordEvents,
  type Page,
  type PageRequest,
  type PlanScope,
} from '../../../services/plan-data';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { PEOPLE, planRoles, seedPartnership } from '../../support/fixtures';

const TODAY = '2026-06-15';
const WHOLE: PlanScope = { partnershipId: 'testshire' };
let db: TestDatabase;

// Camden plans (first core group within 10 working days, child seen every 10 working days), started a week apart:
// the earlier, the more overdue. Team B's plans have Sid as social worker.
const STARTS = [
  '2026-03-02',
  '2026-03-09',
  '2026-03-16',
  '2026-03-23',
  '2026-03-30',
  '2026-04-06',
  '2026-04-13',
  '2026-06-12',
];
const planIds = STARTS.map((_, i) => `L-${String(i + 1).padStart(2, '0')}`);
const teamOf = (i: number) => (i % 2 === 0 ? 'team-a' : 'team-b');

beforeAll(async () => {
  db = await createTestDatabase('lists');
  await seedPartnership(db.prisma, 'camden');
  await db.prisma.team.create({ data: { id: 'team-b', partnershipId: 'testshire', name: 'Assessment Team B' } });
  await db.prisma.person.create({
    data: { id: 'p-sid', partnershipId: 'testshire', name: 'Sid Second', email: 'sid@council.test' },
  });
  for (const [i, startedOn] of STARTS.entries()) {
    const roles = planRoles().map((r) =>
      r.role === 'social-worker' && teamOf(i) === 'team-b' ? { ...r, personId: 'p-sid' } : r,
    );
    await createPlan(
      db.prisma,
      {
        id: planIds[i]!,
        partnershipId: 'testshire',
        teamId: teamOf(i),
        child: { id: 'child-1' },
        policyId: 'camden',
        type: 'child-protection',
        startedOn,
        roles,
      },
      TODAY,
    );
  }
  // L-02 held its first core group in time: its most overdue obligation is now that meeting's record, due a week later.
  await recordEvents(db.prisma, 'L-02', [{ id: 'l02-held', type: 'core-group-held', on: '2026-03-13' }], TODAY);
  // L-07 has ended: an open-plans list leaves it out, whatever it still owes.
  await recordEvents(db.prisma, 'L-07', [{ id: 'l07-end', type: 'plan-ended', on: '2026-05-01' }], TODAY);
});
afterAll(async () => db?.drop());

/** Every page of a list, following `next` from the first. */
async function allPages<Row>(fetch: (page: PageRequest) => Promise<Page<Row>>, limit: number): Promise<Page<Row>[]> {
  const pages = [await fetch({ limit })];
  while (pages.at(-1)!.next !== null) pages.push(await fetch({ limit, after: pages.at(-1)!.next! }));
  return pages;
}

describe('overdue now', () => {
  const overdue =
    (filters = {}, scope = WHOLE) =>
    (page: PageRequest) =>
      overduePlans(db.prisma, scope, filters, page, TODAY);

  it('lists open plans with an overdue obligation, most overdue first, with the total', async () => {
    const [page] = await allPages(overdue(), 50);
    // L-08 started three days ago (nothing due yet); L-07 has ended.
    expect(page!.rows.map((r) => r.planId)).toEqual(['L-01', 'L-02', 'L-03', 'L-04', 'L-05', 'L-06']);
    expect(page!.total).toBe(6);
    for (const r of page!.rows) expect(r.daysOverdue).toBe(daysBetween(r.due, TODAY));
    const days = page!.rows.map((r) => r.daysOverdue);
    expect(days).toEqual([...days].sort((a, b) => b - a));
    expect(page!.rows.find((r) => r.planId === 'L-02')?.key).toBe('core-group-record@2026-03-13');
    // Its first core group and first visit fell due the same day: ties go by key, as in the engine.
    expect(page!.rows.find((r) => r.planId === 'L-01')).toMatchObject({
      key: 'child-seen#1',
      teamName: 'Assessment Team A',
      overdueCount: 3,
    });
  });

  it('pages forwards and back by keyset: the pages join up with nothing lost or repeated', async () => {
    const pages = await allPages(overdue(), 4);
    expect(pages.map((p) => p.rows.map((r) => r.planId))).toEqual([
      ['L-01', 'L-02', 'L-03', 'L-04'],
      ['L-05', 'L-06'],
    ]);
    expect(pages.map((p) => p.total)).toEqual([6, 6]);
    expect(pages[0]!.previous).toBeNull();
    expect(pages[1]!.next).toBeNull();
    const back = await overduePlans(db.prisma, WHOLE, {}, { limit: 4, before: pages[1]!.previous! }, TODAY);
    expect(back.rows.map((r) => r.planId)).toEqual(['L-01', 'L-02', 'L-03', 'L-04']);
    expect(back.previous).toBeNull();
    expect(back.next).not.toBeNull();
  });

  it('filters by team, social worker, obligation kind and days overdue', async () => {
    const ids = async (filters: object) => (await overdue(filters)({ limit: 50 })).rows.map((r) => r.planId);
    expect(await ids({ teamId: 'team-b' })).toEqual(['L-02', 'L-04', 'L-06']);
    expect(await ids({ socialWorkerId: 'p-sid' })).toEqual(['L-02', 'L-04', 'L-06']);
    expect(await ids({ socialWorkerId: PEOPLE.socialWorker.id })).toEqual(['L-01', 'L-03', 'L-05']);
    // Only L-02 met its first core group: by kind, it drops out of the core group list but stays in the visits list.
    expect(await ids({ kind: 'first-core-group' })).toEqual(['L-01', 'L-03', 'L-04', 'L-05', 'L-06']);
    expect(await ids({ kind: 'child-seen' })).toContain('L-02');
    const all = (await overdue()({ limit: 50 })).rows;
    const cut = all[2]!.daysOverdue;
    const atLeast = await overdue({ minDaysOverdue: cut })({ limit: 50 });
    expect(atLeast.rows.map((r) => r.planId)).toEqual(all.filter((r) => r.daysOverdue >= cut).map((r) => r.planId));
    expect(atLeast.total).toBe(atLeast.rows.length);
  });

  it('keeps to the reader’s scope: the teams they manage and their caseload, nothing else', async () => {
    const sid = { partnershipId: 'testshire', restrictTo: { teamIds: [], socialWorkerId: 'p-sid' } };
    expect((await overdue({}, sid)({ limit: 50 })).rows.map((r) => r.planId)).toEqual(['L-02', 'L-04', 'L-06']);
    const manager = { partnershipId: 'testshire', restrictTo: { teamIds: ['team-a'], socialWorkerId: 'p-nobody' } };
    expect((await overdue({}, manager)({ limit: 50 })).rows.map((r) => r.planId)).toEqual(['L-01', 'L-03', 'L-05']);
    expect((await overdue({}, { partnershipId: 'elsewhere' })({ limit: 50 })).total).toBe(0);
  });

  it('refuses a cursor it did not give out, naming it', async () => {
    const error = await overduePlans(
      db.prisma,
      WHOLE,
      {},
      { limit: 5, after: Buffer.from('["9999-99-99","x"]').toString('base64url') },
      TODAY,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Refusal);
    expect(error).toMatchObject({ code: 'invalid', field: 'after' });
  });
});

describe('a partnership’s plans (the API list)', () => {
  const plans =
    (filters = {}) =>
    (page: PageRequest) =>
      listPlans(db.prisma, WHOLE, filters, page, TODAY);

  it('pages in reference order with the total, each with its next due obligation and days overdue', async () => {
    const pages = await allPages(plans(), 3);
    expect(pages.flatMap((p) => p.rows.map((r) => r.reference))).toEqual(planIds);
    expect(pages.every((p) => p.total === planIds.length)).toBe(true);
    const fresh = pages.flatMap((p) => p.rows).find((r) => r.reference === 'L-08')!;
    expect(fresh.daysOverdue).toBe(0);
    expect(fresh.nextDue).toMatchObject({ status: 'pending' });
    const ended = pages.flatMap((p) => p.rows).find((r) => r.reference === 'L-07')!;
    expect(ended.endedOn).toBe('2026-05-01');
  });

  it('filters overdue, not overdue, ended and by days overdue', async () => {
    const ids = async (filters: object) => (await plans(filters)({ limit: 50 })).rows.map((r) => r.reference);
    const overdueIds = await ids({ overdue: true });
    expect(overdueIds).toEqual(expect.arrayContaining(['L-01', 'L-02', 'L-07']));
    expect(overdueIds).not.toContain('L-08');
    expect(await ids({ overdue: false })).toEqual(['L-08']);
    expect(await ids({ status: 'ended' })).toEqual(['L-07']);
    const far = addDays(TODAY, -60);
    for (const r of (await plans({ minDaysOverdue: 60 })({ limit: 50 })).rows) expect(r.nextDue!.due <= far).toBe(true);
  });
});

describe('escalations', () => {
  it('pages newest first, filtered by the obligation’s kind', async () => {
    const sent = (planId: string, key: string, at: IsoDate) =>
      db.prisma.notification.create({
        data: {
          key: `${planId}|${key}|escalation`,
          planId,
          obligationKey: key,
          level: 'escalation',
          recipients: [],
          subject: 's',
          status: 'sent',
          sentAt: new Date(`${at}T09:00:00Z`),
          createdAt: new Date(`${at}T09:00:00Z`),
        },
      });
    await sent('L-01', 'first-core-group', '2026-03-17');
    await sent('L-03', 'first-core-group', '2026-03-31');
    await sent('L-02', 'child-seen#1', '2026-04-02');
    const first = await escalations(db.prisma, WHOLE, {}, { limit: 2 }, TODAY);
    expect(first.rows.map((r) => r.planId)).toEqual(['L-02', 'L-03']);
    expect(first.total).toBe(3);
    const second = await escalations(db.prisma, WHOLE, {}, { limit: 2, after: first.next! }, TODAY);
    expect(second.rows.map((r) => r.planId)).toEqual(['L-01']);
    expect(
      (await escalations(db.prisma, WHOLE, { kind: 'child-seen' }, { limit: 10 }, TODAY)).rows.map((r) => r.planId),
    ).toEqual(['L-02']);
  });
});
