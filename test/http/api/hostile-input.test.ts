/**
 * Issue 9's findings, each as a regression test: requests an outside tester sent that the API and dashboard accepted
 * (and that later broke a page for everyone) or answered with a 500. The rule they pin: nothing is accepted that
 * cannot later be read; a refusal names the field and stores nothing; nothing accepted makes a list or a page fail.
 * Through `app.inject` over a real PostgreSQL database of its own.
 */
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../../http/app';
import { loadConfig } from '../../../platform/env';
import { issueApiToken, type ApiScope } from '../../../services/api-tokens';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { PEOPLE, planRow, seedPartnership } from '../../support/fixtures';
import { signedInCookie } from '../../support/sessions';

const TODAY = '2026-06-01';
let db: TestDatabase;
let app: FastifyInstance;
let token: string;
const ALL: ApiScope[] = ['plans:write', 'events:write', 'plans:read', 'reports:read'];

beforeAll(async () => {
  db = await createTestDatabase('hostile');
  await seedPartnership(db.prisma, 'camden');
  await db.prisma.teamMember.create({
    data: { teamId: 'team-a', personId: PEOPLE.teamManager.id, role: 'team-manager' },
  });
  token = (await issueApiToken(db.prisma, { name: 'all', partnershipId: 'testshire', scopes: ALL })).token;
  app = buildHttpApp({ prisma: db.prisma, config: loadConfig(), today: () => TODAY });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const headers = () => ({ authorization: `Bearer ${token}` });
let counter = 0;
function planBody(overrides: Record<string, unknown> = {}) {
  return {
    reference: `HOS-${++counter}`,
    teamId: 'team-a',
    child: { localChildId: 'LCID-0001' },
    policy: 'camden',
    type: 'child-protection',
    startedOn: '2026-03-02',
    people: Object.values(PEOPLE).map((p) => ({ personId: p.id, role: p.role })),
    ...overrides,
  };
}
const postPlan = (body: unknown) =>
  app.inject({ method: 'POST', url: '/api/v1/plans', headers: headers(), payload: body as object });
const postRaw = (url: string, raw: string) =>
  app.inject({
    method: 'POST',
    url,
    headers: { ...headers(), 'content-type': 'application/json' },
    payload: raw,
  });
const get = (url: string) => app.inject({ method: 'GET', url, headers: headers() });
const rowCounts = async () => ({
  plans: await db.prisma.plan.count(),
  children: await db.prisma.child.count(),
  events: await db.prisma.planEvent.count(),
  roles: await db.prisma.planRole.count(),
});
async function createPlan(overrides: Record<string, unknown> = {}): Promise<string> {
  const body = planBody(overrides);
  const res = await postPlan(body);
  expect(res.statusCode).toBe(201);
  return body.reference;
}

/** The lists everyone shares: they must answer 200 whatever any one plan holds. */
async function expectListsStillWork(): Promise<void> {
  expect((await get('/api/v1/plans')).statusCode).toBe(200);
  expect((await get('/api/v1/plans?overdue=true')).statusCode).toBe(200);
  const { cookie } = await signedInCookie(db.prisma, loadConfig(), {
    personId: PEOPLE.teamManager.id,
    partnershipId: 'testshire',
  });
  const overdue = await app.inject({ method: 'GET', url: '/overdue', headers: { cookie } });
  expect(overdue.statusCode).toBe(200);
}

describe('1. a plan the engine cannot evaluate is refused at intake, and one already stored breaks nothing', () => {
  it('child-in-need under a policy without child in need rules is a 422 naming type, with nothing stored', async () => {
    const before = await rowCounts();
    const res = await postPlan(planBody({ type: 'child-in-need', child: { localChildId: 'CIN-NEW-1' } }));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: 'contradiction', field: 'type' });
    expect(res.json().message).toMatch(/camden.*child in need/);
    expect(await rowCounts()).toEqual(before);
    await expectListsStillWork();
  });

  it('a stored plan that cannot be evaluated is listed as such and never fails a list or its page', async () => {
    // As a plan stored before the intake check existed would be: written straight to the table.
    await db.prisma.plan.create({
      data: { ...planRow('LEGACY-CIN', '2026-03-02', 'camden'), type: 'child-in-need' },
    });
    await db.prisma.plan.update({
      where: { id: 'LEGACY-CIN' },
      data: { evaluationError: "plan.type: policy 'camden' has no child in need rules" },
    });
    await expectListsStillWork();
    const listed = await get('/api/v1/plans?limit=200');
    const row = listed.json().plans.find((p: { reference: string }) => p.reference === 'LEGACY-CIN');
    expect(row.evaluationError).toMatch(/no child in need rules/);
    const page = await get('/api/v1/plans/LEGACY-CIN');
    expect(page.statusCode).toBe(200);
    expect(page.json().evaluationError).toMatch(/no child in need rules/);
    // On the dashboard it is not silently missing from "overdue now": it is listed, with why, and its page opens.
    const { cookie } = await signedInCookie(db.prisma, loadConfig(), {
      personId: PEOPLE.teamManager.id,
      partnershipId: 'testshire',
    });
    // A fresh app: the partnership's count of such plans is shared for a minute, and this one was just written.
    const fresh = buildHttpApp({ prisma: db.prisma, config: loadConfig(), today: () => TODAY });
    const overdue = await fresh.inject({ method: 'GET', url: '/overdue', headers: { cookie } });
    await fresh.close();
    expect(overdue.body).toMatch(/1 plan cannot\s+be evaluated/);
    expect(overdue.body).toContain('href="/plans/LEGACY-CIN"');
    expect(overdue.body).toContain('no child in need rules');
    const planPage = await app.inject({ method: 'GET', url: '/plans/LEGACY-CIN', headers: { cookie } });
    expect(planPage.statusCode).toBe(200);
    expect(planPage.body).toContain('This plan cannot be evaluated');
  });
});

describe('2. dates the engine, the database or JavaScript cannot hold', () => {
  it.each([
    ['startedOn', { startedOn: '9999-12-31' }],
    ['startedOn', { startedOn: '0000-01-01' }],
    ['startedOn', { startedOn: '1899-12-31' }],
    ['child.dateOfBirth', { child: { localChildId: 'DOB-1', dateOfBirth: '0000-01-01' } }],
    ['child.dateOfBirth', { child: { localChildId: 'DOB-2', dateOfBirth: '9999-12-31' } }],
  ])('plan %s out of range is refused naming it, nothing stored', async (field, overrides) => {
    const before = await rowCounts();
    const res = await postPlan(planBody(overrides));
    expect([400, 422]).toContain(res.statusCode);
    expect(JSON.stringify(res.json())).toContain(field);
    expect(await rowCounts()).toEqual(before);
  });

  it('a plan starting after today is a 422 naming startedOn (a conference cannot have decided it yet)', async () => {
    const res = await postPlan(planBody({ startedOn: '2026-06-02' }));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ field: 'startedOn' });
  });

  it('events dated 9999-12-31 or 0000-01-01 are refused, and far asOf dates are a 400, never a 500', async () => {
    const planId = await createPlan();
    for (const on of ['9999-12-31', '0000-01-01']) {
      const res = await postRaw(
        `/api/v1/plans/${planId}/events`,
        JSON.stringify({ id: `far-${on}`, type: 'child-seen', on }),
      );
      expect([400, 422]).toContain(res.statusCode);
      expect(JSON.stringify(res.json())).toContain('on');
    }
    const booking = await postRaw(
      `/api/v1/plans/${planId}/events`,
      JSON.stringify({ id: 'far-booking', type: 'core-group-scheduled', on: '9999-12-31' }),
    );
    expect(booking.statusCode).toBe(400);
    // Within what corewatch holds, but no one books a core group years ahead: a 422 naming on.
    const distant = await postRaw(
      `/api/v1/plans/${planId}/events`,
      JSON.stringify({ id: 'distant-booking', type: 'core-group-scheduled', on: '2028-01-01' }),
    );
    expect(distant.statusCode).toBe(422);
    expect(distant.json()).toMatchObject({ field: 'on' });
    expect(distant.json().message).toMatch(/a year/);
    const nextMonth = await postRaw(
      `/api/v1/plans/${planId}/events`,
      JSON.stringify({ id: 'next-month-booking', type: 'core-group-scheduled', on: '2026-07-01' }),
    );
    expect(nextMonth.statusCode).toBe(202);
    for (const asOf of ['9999-12-31', '0000-01-01']) {
      const res = await get(`/api/v1/plans/${planId}?asOf=${asOf}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().issues[0].path).toBe('asOf');
    }
    expect((await get(`/api/v1/plans/${planId}?asOf=2027-06-01`)).statusCode).toBe(200);
    await expectListsStillWork();
  });

  it.each(['0000-01', '0001-01', '9999-12', '2026-13'])('compliance?month=%s is a 4xx naming month', async (month) => {
    const res = await get(`/api/v1/partnerships/testshire/compliance?month=${month}`);
    expect([400, 422]).toContain(res.statusCode);
    expect(JSON.stringify(res.json())).toContain('month');
  });
});

describe('3. NUL and unpaired surrogates', () => {
  it.each([
    ['a path segment', () => get('/api/v1/plans/HOS%00X')],
    ['a query value', () => get('/api/v1/plans?team=team%00a')],
    ['a JSON string', () => postRaw('/api/v1/plans', JSON.stringify(planBody({ teamId: 'team\u0000a' })))],
    [
      'a lone surrogate in JSON',
      () => postRaw('/api/v1/plans', JSON.stringify(planBody()).replace('team-a', '\\ud800')),
    ],
  ])('in %s: a 400 naming where, nothing stored', async (_where, send) => {
    const before = await rowCounts();
    const res = await send();
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid-request' });
    expect(res.json().issues[0].message).toMatch(/NUL|surrogate/);
    expect(await rowCounts()).toEqual(before);
  });

  it('in the dashboard: a path segment, a query value and a form field answer 400, not 500', async () => {
    const { cookie } = await signedInCookie(db.prisma, loadConfig(), {
      personId: PEOPLE.teamManager.id,
      partnershipId: 'testshire',
    });
    for (const url of ['/plans/HOS%00X', '/overdue?team=a%00b', '/escalations?kind=%00']) {
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    }
  });
});

describe('4. numbers the database cannot hold, repeated people, and atomic creation', () => {
  it('annexA.previousPlans above 2^31-1 is a 400 naming it, and no orphan child row is left', async () => {
    const before = await rowCounts();
    const res = await postPlan(planBody({ child: { localChildId: 'ORPHAN-1' }, annexA: { previousPlans: 2 ** 31 } }));
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe('annexA.previousPlans');
    expect(await rowCounts()).toEqual(before);
  });

  it('a repeated (person, role) pair is a 400 naming it, and no orphan child row is left', async () => {
    const before = await rowCounts();
    const sw = { personId: PEOPLE.socialWorker.id, role: 'social-worker' };
    const res = await postPlan(
      planBody({
        child: { localChildId: 'ORPHAN-2' },
        people: [...planBody().people, sw],
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe('people[4]');
    expect(await rowCounts()).toEqual(before);
  });
});

describe('6. identifiers, duplicate keys and impossible endings', () => {
  it('duplicate JSON keys are refused naming the key (the last value does not silently win)', async () => {
    const planId = await createPlan();
    const res = await postRaw(
      `/api/v1/plans/${planId}/events`,
      '{"id":"dup-keys","type":"child-seen","type":"plan-ended","on":"2026-03-05"}',
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0]).toMatchObject({ path: 'type' });
    expect(res.json().issues[0].message).toMatch(/more than once/);
    expect(await db.prisma.planEvent.count({ where: { planId } })).toBe(0);
  });

  it.each([
    ['reference', { reference: '../../etc/passwd' }],
    ['reference', { reference: 'HOS-\u202eevil' }],
    ['reference', { reference: 'R'.repeat(65) }],
    ['teamId', { teamId: 'team a' }],
    ['people[0].personId', { people: [{ personId: 'p sw', role: 'social-worker' }] }],
    ['people[0].role', { people: [{ personId: PEOPLE.socialWorker.id, role: 'boss' }] }],
    ['child.localChildId', { child: { localChildId: 'x'.repeat(200) } }],
    ['child.name', { child: { localChildId: 'N-1', name: 'n'.repeat(1000) } }],
  ])('%s outside the identifier policy is a 400 naming it', async (field, overrides) => {
    const res = await postPlan(planBody(overrides));
    expect(res.statusCode).toBe(400);
    expect(res.json().issues.map((i: { path: string }) => i.path)).toContain(field);
  });

  it('an event id of 10,000 characters is a 400 naming id', async () => {
    const planId = await createPlan();
    const res = await postRaw(
      `/api/v1/plans/${planId}/events`,
      JSON.stringify({ id: 'e'.repeat(10_000), type: 'child-seen', on: '2026-03-05' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe('id');
  });

  it('a plan-ended dated before events already recorded is a 422 naming on', async () => {
    const planId = await createPlan();
    const seen = await postRaw(
      `/api/v1/plans/${planId}/events`,
      JSON.stringify({ id: 'seen-late', type: 'child-seen', on: '2026-04-20' }),
    );
    expect(seen.statusCode).toBe(202);
    const res = await postRaw(
      `/api/v1/plans/${planId}/events`,
      JSON.stringify({ id: 'end-early', type: 'plan-ended', on: '2026-04-10' }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ field: 'on' });
    expect(res.json().message).toMatch(/2026-04-20/);
    expect(await db.prisma.planEvent.count({ where: { id: 'end-early' } })).toBe(0);
  });

  it('in one batch too: a plan-ended before a later event of the same batch is refused, nothing stored', async () => {
    const planId = await createPlan();
    const res = await postRaw(
      `/api/v1/plans/${planId}/events/batch`,
      JSON.stringify({
        events: [
          { id: 'b-end', type: 'plan-ended', on: '2026-04-10' },
          { id: 'b-seen', type: 'child-seen', on: '2026-04-20' },
        ],
      }),
    );
    expect(res.statusCode).toBe(422);
    expect(await db.prisma.planEvent.count({ where: { planId } })).toBe(0);
  });
});

describe('7. a plan whose escalations could reach no one', () => {
  it('a plan without a social worker, team manager or (child protection) chair is a 422 naming people', async () => {
    const res = await postPlan(planBody({ people: [{ personId: PEOPLE.socialWorker.id, role: 'social-worker' }] }));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ field: 'people' });
    expect(res.json().message).toMatch(/team-manager/);
    expect(res.json().message).toMatch(/conference-chair/);
  });
});

describe('8. methods the API does not offer', () => {
  it.each([
    ['DELETE', '/api/v1/plans'],
    ['PUT', '/api/v1/plans/X-1'],
    ['PATCH', '/api/v1/plans/X-1/events'],
    ['GET', '/api/v1/plans/X-1/events'],
  ])('%s %s is a 405 with Allow', async (method, url) => {
    const res = await app.inject({ method: method as 'GET', url, headers: headers() });
    expect(res.statusCode).toBe(405);
    expect(res.headers['allow']).toBeDefined();
  });
});
