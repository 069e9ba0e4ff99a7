/**
 * Issue 10 over the HTTP API (app.inject, real PostgreSQL): the new vocabulary is taken like any other event, refused
 * with the field named where it cannot be, and shown back: a meeting's quorum verdict with its rule, the plan's
 * people today and their changes, a conference-set cadence, the minutes rule, and every rule's basis.
 */
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../../http/app';
import { loadConfig } from '../../../platform/env';
import { issueApiToken } from '../../../services/api-tokens';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { PEOPLE, seedPartnership } from '../../support/fixtures';
import { signedInCookie } from '../../support/sessions';

const TODAY = '2026-06-01';
let db: TestDatabase;
let app: FastifyInstance;
let token: string;

beforeAll(async () => {
  db = await createTestDatabase('api_guidance');
  await seedPartnership(db.prisma, 'camden');
  await db.prisma.team.create({ data: { id: 'team-b', partnershipId: 'testshire', name: 'Assessment Team B' } });
  await db.prisma.person.create({
    data: { id: 'p-sw2', partnershipId: 'testshire', name: 'Nina Newworker', email: 'nina@council.test' },
  });
  await db.prisma.person.create({
    data: { id: 'p-hv', partnershipId: 'testshire', name: 'Hal Visitor', email: 'hal@council.test', agency: 'health' },
  });
  token = (
    await issueApiToken(db.prisma, {
      name: 'all',
      partnershipId: 'testshire',
      scopes: ['plans:write', 'events:write', 'plans:read'],
    })
  ).token;
  app = buildHttpApp({ prisma: db.prisma, config: loadConfig(), today: () => TODAY });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const headers = () => ({ authorization: `Bearer ${token}` });
let n = 0;
async function plan(policy = 'camden', type = 'child-protection'): Promise<string> {
  const reference = `G10-${++n}`;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/plans',
    headers: headers(),
    payload: {
      reference,
      teamId: 'team-a',
      child: { localChildId: `LC-${n}` },
      policy,
      type,
      startedOn: '2026-03-02',
      people: Object.values(PEOPLE).map((p) => ({ personId: p.id, role: p.role })),
    },
  });
  expect(res.statusCode).toBe(201);
  return reference;
}
const post = (planId: string, event: object) =>
  app.inject({ method: 'POST', url: `/api/v1/plans/${planId}/events`, headers: headers(), payload: event });
const timeline = async (planId: string) =>
  (await app.inject({ method: 'GET', url: `/api/v1/plans/${planId}`, headers: headers() })).json();

describe('a meeting that could not go ahead', () => {
  it('is shown as held, not quorate, with its rule, and the deadline stays open', async () => {
    const planId = await plan();
    const res = await post(planId, {
      id: 'cg-nq',
      type: 'core-group-held',
      on: '2026-03-10',
      attendance: { socialWorkerPresent: false, present: [{ agency: 'health' }] },
    });
    expect(res.statusCode).toBe(202);
    const t = await timeline(planId);
    expect(t.meetings).toEqual([
      {
        on: '2026-03-10',
        verdict: 'not-quorate',
        text: 'held, not quorate (the social worker was not recorded present): does not count',
        rule: expect.objectContaining({ id: 'camden/core-group-quorum', basis: 'stated' }),
      },
    ]);
    expect(t.obligations.find((o: { key: string }) => o.key === 'first-core-group')).toMatchObject({
      status: 'overdue',
    });
  });
});

describe('a cadence set by the conference', () => {
  it('is refused when looser than the policy, naming the interval and the limit', async () => {
    const planId = await plan();
    const res = await post(planId, { id: 'cad-loose', type: 'cadence-set', on: '2026-03-02', interval: { months: 3 } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ field: 'interval' });
    expect(res.json().message).toMatch(/less often than the policy's limit, every 2 months/);
    expect(await db.prisma.planEvent.count({ where: { id: 'cad-loose' } })).toBe(0);
  });

  it('is refused for a child in need plan, and malformed intervals are a 400', async () => {
    const cin = await plan('barnsley', 'child-in-need');
    const res = await post(cin, { id: 'cad-cin', type: 'cadence-set', on: '2026-03-02', interval: { weeks: 4 } });
    expect(res.statusCode).toBe(422);
    const bad = await post(cin, { id: 'cad-bad', type: 'cadence-set', on: '2026-03-02', interval: { fortnights: 2 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].path).toBe('interval');
  });

  it('when stricter, governs from the next meeting and is cited with the day it was set', async () => {
    const planId = await plan();
    expect(
      (await post(planId, { id: 'cad-2w', type: 'cadence-set', on: '2026-03-02', interval: { weeks: 2 } })).statusCode,
    ).toBe(202);
    expect(
      (
        await post(planId, {
          id: 'cg-1',
          type: 'core-group-held',
          on: '2026-03-09',
          attendance: { socialWorkerPresent: true, present: [{ agency: 'health' }] },
        })
      ).statusCode,
    ).toBe(202);
    const second = (await timeline(planId)).obligations.find((o: { key: string }) => o.key === 'core-group#2');
    expect(second).toMatchObject({
      due: '2026-03-23',
      rule: {
        id: 'camden/conference-cadence@2026-03-02/2-weeks',
        basis: 'stated',
        note: expect.stringMatching(/^Set by the conference on 2026-03-02: every 2 weeks/),
      },
    });
  });
});

describe('people who change', () => {
  it('refuses a person or a team not of the partnership, naming the field', async () => {
    const planId = await plan();
    const person = await post(planId, {
      id: 'wa-x',
      type: 'worker-allocated',
      on: '2026-03-05',
      role: 'social-worker',
      person: 'p-nobody',
    });
    expect(person.statusCode).toBe(422);
    expect(person.json()).toMatchObject({ field: 'person' });
    const team = await post(planId, { id: 'tc-x', type: 'team-changed', on: '2026-03-05', team: 'team-zzz' });
    expect(team.statusCode).toBe(422);
    expect(team.json()).toMatchObject({ field: 'team' });
    const role = await post(planId, {
      id: 'wa-r',
      type: 'worker-allocated',
      on: '2026-03-05',
      role: 'boss',
      person: 'p-sw2',
    });
    expect(role.statusCode).toBe(400);
  });

  it('a new social worker, a new member and a new team: the plan today, its history, and the lists follow', async () => {
    const planId = await plan();
    for (const event of [
      { id: 'wa-1', type: 'worker-allocated', on: '2026-04-01', role: 'social-worker', person: 'p-sw2' },
      { id: 'mj-1', type: 'member-joined', on: '2026-04-02', agency: 'health', person: 'p-hv' },
      { id: 'tc-1', type: 'team-changed', on: '2026-04-03', team: 'team-b' },
    ]) {
      expect((await post(planId, event)).statusCode).toBe(202);
    }
    const t = await timeline(planId);
    expect(t.teamId).toBe('team-b');
    expect(t.people.filter((p: { role: string }) => p.role === 'social-worker')).toEqual([
      { personId: 'p-sw2', name: 'Nina Newworker', role: 'social-worker', agency: null },
    ]);
    expect(t.people).toContainEqual({
      personId: 'p-hv',
      name: 'Hal Visitor',
      role: 'core-group-member',
      agency: 'health',
    });
    expect(t.peopleChanges).toEqual([
      { on: '2026-04-01', what: 'p-sw2 allocated as social-worker' },
      { on: '2026-04-02', what: 'p-hv (health) joined the core group' },
      { on: '2026-04-03', what: 'plan moved to team team-b' },
    ]);
    const bySw = async (id: string) =>
      (await app.inject({ method: 'GET', url: `/api/v1/plans?socialWorker=${id}&limit=200`, headers: headers() }))
        .json()
        .plans.map((p: { reference: string }) => p.reference);
    expect(await bySw('p-sw2')).toContain(planId);
    expect(await bySw(PEOPLE.socialWorker.id)).not.toContain(planId);
    const byTeam = (await app.inject({ method: 'GET', url: '/api/v1/plans?team=team-b', headers: headers() })).json()
      .plans;
    expect(byTeam.map((p: { reference: string }) => p.reference)).toEqual([planId]);
  });

  it('a retried registration is still recognised after the plan has changed hands', async () => {
    const planId = await plan();
    expect(
      (
        await post(planId, {
          id: 'wa-2',
          type: 'worker-allocated',
          on: '2026-04-01',
          role: 'social-worker',
          person: 'p-sw2',
        })
      ).statusCode,
    ).toBe(202);
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/plans',
      headers: headers(),
      payload: {
        reference: planId,
        teamId: 'team-a',
        child: { localChildId: `LC-${planId.split('-')[1]}` },
        policy: 'camden',
        type: 'child-protection',
        startedOn: '2026-03-02',
        people: Object.values(PEOPLE).map((p) => ({ personId: p.id, role: p.role })),
      },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ reference: planId, outcome: 'existing' });
  });
});

describe('the plan page', () => {
  it("shows each meeting's quorum verdict, the people today with their changes, and a default rule as a default", async () => {
    await db.prisma.teamMember.create({
      data: { teamId: 'team-a', personId: PEOPLE.teamManager.id, role: 'team-manager' },
    });
    const planId = await plan('england');
    await post(planId, { id: 'pp-cg', type: 'core-group-held', on: '2026-03-10' });
    await post(planId, {
      id: 'pp-wa',
      type: 'worker-allocated',
      on: '2026-03-11',
      role: 'social-worker',
      person: 'p-sw2',
    });
    const { cookie } = await signedInCookie(db.prisma, loadConfig(), {
      personId: PEOPLE.teamManager.id,
      partnershipId: 'testshire',
    });
    const page = await app.inject({ method: 'GET', url: `/plans/${planId}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('held (no quorum rule in this policy)');
    expect(page.body).toContain('Nina Newworker');
    expect(page.body).toContain('p-sw2 allocated as social-worker');
    // England's interval between later core groups is corewatch's default, and the page says so beside the quote.
    expect(page.body).toMatch(/england\/later-core-groups[\s\S]*data-testid="basis-default"/);
  });
});

describe("Barnsley's minutes", () => {
  it('are met by minutes-received within five calendar days, and the rule says how it reads the words', async () => {
    const planId = await plan('barnsley');
    await post(planId, {
      id: 'b-cg',
      type: 'core-group-held',
      on: '2026-03-10',
      attendance: { socialWorkerPresent: true },
    });
    await post(planId, { id: 'b-min', type: 'minutes-received', on: '2026-03-15', meetingOn: '2026-03-10' });
    const record = (await timeline(planId)).obligations.find(
      (o: { key: string }) => o.key === 'core-group-record@2026-03-10',
    );
    expect(record).toMatchObject({
      due: '2026-03-15',
      status: 'met',
      metOn: '2026-03-15',
      rule: { id: 'barnsley/minutes', basis: 'stated', note: expect.stringMatching(/5 calendar days/) },
    });
    const backwards = await post(planId, {
      id: 'b-min-2',
      type: 'minutes-received',
      on: '2026-03-09',
      meetingOn: '2026-03-10',
    });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json()).toMatchObject({ field: 'meetingOn' });
  });
});
