/**
 * The HTTP API through `app.inject` (no port), over a real PostgreSQL database of its own. The relay is a recording
 * fake: delivery itself is tested in test/services.
 */
import { getPolicy as currentPolicy, rulesVersionOf } from '../../../domain/policies';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../../http/app';
import { loadConfig } from '../../../platform/env';
import { evaluatePlan } from '../../../domain/obligations';
import { getPolicy } from '../../../domain/policies';
import { reportPlans } from '../../../services/plan-data/report-source';
import { MonthlyAudit } from '../../../reports/monthly-audit';
import { backfillFigures } from '../../../services/monthly-figures';
import { issueApiToken, revokeApiToken, type ApiScope } from '../../../services/api-tokens';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { CHILD_NAME, PEOPLE, seedPartnership } from '../../support/fixtures';
import { eventually } from '../../support/eventually';
import { readXlsx } from '../../support/read-xlsx';

const TODAY = '2026-06-01';
let db: TestDatabase;
let app: FastifyInstance;
const relayed: string[][] = [];
let full: string;
const ALL: ApiScope[] = ['plans:write', 'events:write', 'plans:read', 'reports:read'];

beforeAll(async () => {
  db = await createTestDatabase('api');
  await seedPartnership(db.prisma);
  await db.prisma.partnership.create({ data: { id: 'otherville', name: 'Otherville', policyId: 'england' } });
  await db.prisma.team.create({ data: { id: 'team-o', partnershipId: 'otherville', name: 'O' } });
  await db.prisma.child.create({
    data: { id: 'child-o', partnershipId: 'otherville', localChildId: 'O-1', name: 'Other Child' },
  });
  await db.prisma.plan.create({
    data: {
      id: 'OTH-1',
      partnershipId: 'otherville',
      teamId: 'team-o',
      childId: 'child-o',
      policyId: 'england',
      rulesVersion: rulesVersionOf(currentPolicy('england')),
      type: 'child-protection',
      startedOn: new Date('2026-03-02T00:00:00Z'),
      workflowId: 'plan-OTH-1',
    },
  });
  full = (await issueApiToken(db.prisma, { name: 'all', partnershipId: 'testshire', scopes: ALL })).token;
  app = buildHttpApp({
    prisma: db.prisma,
    config: loadConfig(),
    today: () => TODAY,
    relay: async (ids) => void relayed.push(ids),
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const auth = (token = full) => ({ authorization: `Bearer ${token}` });

let counter = 0;
function planBody(overrides: Record<string, unknown> = {}) {
  return {
    reference: `API-${++counter}`,
    teamId: 'team-a',
    child: { localChildId: 'LCID-0001' },
    policy: 'england',
    type: 'child-protection',
    startedOn: '2026-03-02',
    people: Object.values(PEOPLE).map((p) => ({ personId: p.id, role: p.role })),
    annexA: { initialCategory: 'neglect', previousPlans: 1 },
    ...overrides,
  };
}

async function createPlan(overrides: Record<string, unknown> = {}): Promise<string> {
  const body = planBody(overrides);
  const res = await app.inject({ method: 'POST', url: '/api/v1/plans', headers: auth(), payload: body });
  expect(res.statusCode).toBe(201);
  return body.reference;
}

const postEvent = (planId: string, event: object, token = full) =>
  app.inject({ method: 'POST', url: `/api/v1/plans/${planId}/events`, headers: auth(token), payload: event });

describe('authentication and scopes', () => {
  it('401 without a token and with an unknown token', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/plans' })).statusCode).toBe(401);
    const res = await app.inject({ method: 'GET', url: '/api/v1/plans', headers: auth('cw_nope') });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthenticated' });
  });

  it('401 with a revoked token, from its next request on', async () => {
    const issued = await issueApiToken(db.prisma, { name: 'old', partnershipId: 'testshire', scopes: ALL });
    expect((await app.inject({ method: 'GET', url: '/api/v1/plans', headers: auth(issued.token) })).statusCode).toBe(
      200,
    );
    expect(await revokeApiToken(db.prisma, issued.id)).toBe('revoked');
    expect((await app.inject({ method: 'GET', url: '/api/v1/plans', headers: auth(issued.token) })).statusCode).toBe(
      401,
    );
    expect(await revokeApiToken(db.prisma, issued.id)).toBe('already-revoked');
    expect(await revokeApiToken(db.prisma, 'no-such-token')).toBe('unknown');
  });

  it('413 for a body over 1 MiB, and nothing stored', async () => {
    const planId = await createPlan();
    const res = await postEvent(planId, {
      id: 'huge-1',
      type: 'non-engagement-reported',
      on: '2026-03-05',
      detail: 'x'.repeat(1024 * 1024),
    });
    expect(res.statusCode).toBe(413);
    expect(await db.prisma.planEvent.count({ where: { id: 'huge-1' } })).toBe(0);
  });

  it('401 before the body is read: an unauthenticated bad request is not told what is wrong with it', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/plans', payload: { nonsense: true } });
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('nonsense');
  });

  it('stores only the hash of a token', async () => {
    const issued = await issueApiToken(db.prisma, { name: 'h', partnershipId: 'testshire', scopes: ['plans:read'] });
    expect(issued.token).toMatch(/^cw_[A-Za-z0-9_-]{43}$/);
    const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: issued.id } });
    expect(JSON.stringify(row)).not.toContain(issued.token.slice(3));
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('403 with a token lacking the scope', async () => {
    const reader = (await issueApiToken(db.prisma, { name: 'r', partnershipId: 'testshire', scopes: ['plans:read'] }))
      .token;
    const planId = await createPlan();
    const res = await postEvent(planId, { id: 'scope-1', type: 'child-seen', on: '2026-03-05' }, reader);
    expect(res.statusCode).toBe(403);
    expect(await db.prisma.planEvent.count({ where: { id: 'scope-1' } })).toBe(0);
  });

  it("404 for another partnership's plan, for reads and writes", async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/plans/OTH-1', headers: auth() })).statusCode).toBe(404);
    const res = await postEvent('OTH-1', { id: 'oth-1', type: 'child-seen', on: '2026-03-05' });
    expect(res.statusCode).toBe(404);
    expect(await db.prisma.planEvent.count({ where: { planId: 'OTH-1' } })).toBe(0);
  });
});

describe('POST /plans/:planId/events', () => {
  it('202 stores the event and its delivery row, then relays it', async () => {
    const planId = await createPlan();
    const res = await postEvent(planId, { id: 'ev-1', type: 'child-seen', on: '2026-03-05', seenAlone: true });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id: 'ev-1', outcome: 'recorded' });
    expect(await db.prisma.planEvent.findUnique({ where: { id: 'ev-1' } })).toMatchObject({
      planId,
      type: 'child-seen',
    });
    expect(await db.prisma.eventDelivery.findUnique({ where: { eventId: 'ev-1' } })).toMatchObject({
      planId,
      deliveredAt: null,
    });
    expect(relayed).toContainEqual(['ev-1']);
  });

  it('the same event again is a 202 duplicate and stores nothing new', async () => {
    const planId = await createPlan();
    const event = { id: 'ev-dup', type: 'child-seen', on: '2026-03-05' };
    await postEvent(planId, event);
    const res = await postEvent(planId, event);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id: 'ev-dup', outcome: 'duplicate' });
    expect(await db.prisma.planEvent.count({ where: { planId } })).toBe(1);
    expect(await db.prisma.eventDelivery.count({ where: { planId } })).toBe(1);
  });

  it('the same id with different content is a 409 naming id', async () => {
    const planId = await createPlan();
    await postEvent(planId, { id: 'ev-409', type: 'child-seen', on: '2026-03-05' });
    const res = await postEvent(planId, { id: 'ev-409', type: 'child-seen', on: '2026-03-06' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'conflict', field: 'id' });
  });

  it('a date that does not exist is a 422 contradiction naming on, and nothing is stored', async () => {
    const planId = await createPlan();
    const res = await postEvent(planId, { id: 'ev-bad', type: 'child-seen', on: '2026-02-30' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      error: 'contradiction',
      field: 'on',
      message: '"2026-02-30" is not a real date',
      issues: [{ path: 'on', message: '"2026-02-30" is not a real date' }],
    });
    expect(await db.prisma.planEvent.count({ where: { planId } })).toBe(0);
  });

  it('a date not in YYYY-MM-DD form is a 400, and so is a request with other faults besides an impossible date', async () => {
    const planId = await createPlan();
    const malformed = await postEvent(planId, { id: 'ev-bad2', type: 'child-seen', on: '30/02/2026' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().issues).toEqual([{ path: 'on', message: '"30/02/2026" is not a date in YYYY-MM-DD form' }]);
    const mixed = await app.inject({
      method: 'POST',
      url: '/api/v1/plans',
      headers: auth(),
      payload: planBody({ startedOn: '2026-02-30', teamId: '' }),
    });
    expect(mixed.statusCode).toBe(400);
    expect(
      mixed
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['startedOn', 'teamId']);
    expect(await db.prisma.planEvent.count({ where: { planId } })).toBe(0);
  });

  it('a missing id and an unknown field are named', async () => {
    const planId = await createPlan();
    const res = await postEvent(planId, { type: 'child-seen', on: '2026-03-05', colour: 'red' });
    expect(res.statusCode).toBe(400);
    const paths = res.json<{ issues: Array<{ path: string }> }>().issues.map((i) => i.path);
    expect(paths).toContain('colour');
  });

  it('an event dated before the plan started is a 422', async () => {
    const planId = await createPlan();
    const res = await postEvent(planId, { id: 'ev-early', type: 'child-seen', on: '2026-03-01' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: 'contradiction', field: 'on' });
    expect(await db.prisma.planEvent.count({ where: { planId } })).toBe(0);
  });

  it('a meeting after the plan ended is a 422', async () => {
    const planId = await createPlan();
    expect((await postEvent(planId, { id: 'end-1', type: 'plan-ended', on: '2026-04-01' })).statusCode).toBe(202);
    const res = await postEvent(planId, { id: 'late-1', type: 'core-group-held', on: '2026-04-10' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ field: 'on' });
  });
});

describe('when Temporal is unavailable', () => {
  it('a failing relay or workflow start never fails the request: the plan and event are stored', async () => {
    const down = async () => {
      throw new Error('temporal unavailable');
    };
    const offline = buildHttpApp({
      prisma: db.prisma,
      config: loadConfig(),
      today: () => TODAY,
      relay: down,
      startPlan: down,
    });
    try {
      const body = planBody();
      expect(
        (await offline.inject({ method: 'POST', url: '/api/v1/plans', headers: auth(), payload: body })).statusCode,
      ).toBe(201);
      const res = await offline.inject({
        method: 'POST',
        url: `/api/v1/plans/${body.reference}/events`,
        headers: auth(),
        payload: { id: 'off-1', type: 'child-seen', on: '2026-03-05' },
      });
      expect(res.statusCode).toBe(202);
      expect(await db.prisma.eventDelivery.findUnique({ where: { eventId: 'off-1' } })).toMatchObject({
        deliveredAt: null,
      });
    } finally {
      await offline.close();
    }
  });
});

describe('POST /plans/:planId/events/batch', () => {
  const batch = (planId: string, events: object[]) =>
    app.inject({ method: 'POST', url: `/api/v1/plans/${planId}/events/batch`, headers: auth(), payload: { events } });

  it('records all events and reports each outcome', async () => {
    const planId = await createPlan();
    const res = await batch(planId, [
      { id: 'b-1', type: 'core-group-held', on: '2026-03-10' },
      { id: 'b-2', type: 'child-seen', on: '2026-03-11' },
    ]);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      results: [
        { id: 'b-1', outcome: 'recorded' },
        { id: 'b-2', outcome: 'recorded' },
      ],
    });
  });

  it('one invalid event: 400 naming events[i] and nothing stored', async () => {
    const planId = await createPlan();
    const res = await batch(planId, [
      { id: 'bb-1', type: 'child-seen', on: '2026-03-10' },
      { id: 'bb-2', type: 'child-seen', on: 'next Tuesday' },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toEqual([expect.objectContaining({ path: 'events[1].on' })]);
    expect(await db.prisma.planEvent.count({ where: { planId } })).toBe(0);
  });

  it('one event on a month that does not exist: 422 naming events[i].on and nothing stored', async () => {
    const planId = await createPlan();
    const res = await batch(planId, [
      { id: 'bm-1', type: 'child-seen', on: '2026-03-10' },
      { id: 'bm-2', type: 'child-seen', on: '2026-13-01' },
    ]);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: 'contradiction', field: 'events[1].on' });
    expect(await db.prisma.planEvent.count({ where: { planId } })).toBe(0);
  });

  it('one contradicting event: 422 naming events[i].on and nothing stored', async () => {
    const planId = await createPlan();
    const res = await batch(planId, [
      { id: 'bc-1', type: 'child-seen', on: '2026-03-10' },
      { id: 'bc-2', type: 'child-seen', on: '2026-01-10' },
    ]);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ field: 'events[1].on' });
    expect(await db.prisma.planEvent.count({ where: { planId } })).toBe(0);
  });
});

describe('POST /plans', () => {
  it('creates the plan and its child, and the same body again is 200 with nothing new', async () => {
    const body = planBody({ child: { localChildId: 'LCID-NEW', name: 'New Child', dateOfBirth: '2020-05-01' } });
    const first = await app.inject({ method: 'POST', url: '/api/v1/plans', headers: auth(), payload: body });
    expect(first.statusCode).toBe(201);
    const again = await app.inject({ method: 'POST', url: '/api/v1/plans', headers: auth(), payload: body });
    expect(again.statusCode).toBe(200);
    expect(await db.prisma.child.count({ where: { localChildId: 'LCID-NEW' } })).toBe(1);
    expect(await db.prisma.plan.findUnique({ where: { id: body.reference }, include: { roles: true } })).toMatchObject({
      initialCategory: 'neglect',
      previousPlans: 1,
      roles: expect.arrayContaining([expect.objectContaining({ personId: 'p-sw', role: 'social-worker' })]),
    });
  });

  it('the same reference with a different body is a 409 naming reference', async () => {
    const body = planBody();
    await app.inject({ method: 'POST', url: '/api/v1/plans', headers: auth(), payload: body });
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/plans',
      headers: auth(),
      payload: { ...body, startedOn: '2026-03-03' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ field: 'reference' });
  });

  it('refuses an unknown team and names bad fields, storing nothing', async () => {
    const body = planBody({ teamId: 'team-o' });
    const res = await app.inject({ method: 'POST', url: '/api/v1/plans', headers: auth(), payload: body });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ field: 'teamId' });
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/plans',
      headers: auth(),
      payload: planBody({ startedOn: '2026-02-29', policy: 'atlantis' }),
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['policy', 'startedOn']);
    expect(await db.prisma.plan.count({ where: { id: body.reference } })).toBe(0);
  });
});

describe('GET /plans and GET /plans/:planId', () => {
  let overdueId: string;
  let metId: string;
  beforeAll(async () => {
    overdueId = await createPlan({ reference: 'LIST-A', startedOn: '2026-05-01' });
    metId = await createPlan({ reference: 'LIST-B', startedOn: '2026-05-20', policy: 'camden' });
    await postEvent(metId, { id: 'list-end', type: 'plan-ended', on: '2026-05-25' });
  });

  const list = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/plans?${query}`, headers: auth() });
    expect(res.statusCode).toBe(200);
    return res.json<{
      plans: Array<{ reference: string; daysOverdue: number; endedOn: string | null }>;
      nextCursor: string | null;
    }>();
  };

  it('lists only this partnership, without child names', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/plans?limit=200', headers: auth() });
    expect(res.body).not.toContain(CHILD_NAME);
    const refs = res.json<{ plans: Array<{ reference: string }> }>().plans.map((p) => p.reference);
    expect(refs).toContain('LIST-A');
    expect(refs).not.toContain('OTH-1');
  });

  it('filters by policy, status and overdue', async () => {
    expect((await list('policy=camden')).plans.map((p) => p.reference)).toEqual(['LIST-B']);
    const ended = (await list('status=ended')).plans.map((p) => p.reference);
    expect(ended).toContain('LIST-B');
    expect(ended).not.toContain('LIST-A');
    const overdue = (await list('overdue=true&limit=200')).plans;
    const a = overdue.find((p) => p.reference === overdueId);
    expect(a?.daysOverdue).toBeGreaterThan(0);
    expect(overdue.map((p) => p.reference)).not.toContain(metId);
    expect(overdue.every((p) => p.daysOverdue > 0)).toBe(true);
  });

  it('pages with limit and cursor', async () => {
    const first = await list('limit=1');
    expect(first.plans).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list(`limit=1&cursor=${first.nextCursor}`);
    expect(second.plans[0]!.reference > first.plans[0]!.reference).toBe(true);
    // The cursor is opaque, and a forged one is refused naming it rather than failing.
    const forged = await app.inject({ method: 'GET', url: '/api/v1/plans?cursor=not-a-cursor', headers: auth() });
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ error: 'invalid-request', field: 'cursor' });
  });

  it('refuses a bad filter naming it', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/plans?status=closed&limit=500', headers: auth() });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['limit', 'status']);
  });

  it("returns a plan's timeline with obligations carrying citations, as the engine computes them", async () => {
    await postEvent(overdueId, { id: 'tl-1', type: 'child-seen', on: '2026-05-05' });
    const res = await app.inject({ method: 'GET', url: `/api/v1/plans/${overdueId}?asOf=2026-05-30`, headers: auth() });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.events).toEqual([expect.objectContaining({ id: 'tl-1', type: 'child-seen', on: '2026-05-05' })]);
    const expected = evaluatePlan(
      {
        policy: getPolicy('england'),
        plan: { type: 'child-protection', startedOn: '2026-05-01' },
        events: [{ type: 'child-seen', on: '2026-05-05' }],
      },
      '2026-05-30',
    );
    expect(body.obligations).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(body.obligations[0].rule).toEqual(
      expect.objectContaining({ id: expect.any(String), source: expect.any(String), quote: expect.any(String) }),
    );
    expect(body.notifications).toEqual([]);
    expect(res.body).not.toContain(CHILD_NAME);
    const token = await db.prisma.apiToken.findFirstOrThrow({ where: { name: 'all' } });
    expect(await db.prisma.accessLog.findMany({ where: { planId: overdueId } })).toEqual([
      expect.objectContaining({
        partnershipId: 'testshire',
        actorKind: 'token',
        tokenId: token.id,
        personId: null,
        action: 'plan-read',
        route: 'GET /api/v1/plans/:planId',
      }),
    ]);
  });
});

describe('OpenAPI', () => {
  it('serves an OpenAPI 3.1 document listing every route, without authentication', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/v1/partnerships/{id}/annex-a',
        '/api/v1/partnerships/{id}/compliance',
        '/api/v1/plans',
        '/api/v1/plans/{planId}',
        '/api/v1/plans/{planId}/events',
        '/api/v1/plans/{planId}/events/batch',
        '/api/v1/reports',
        '/api/v1/reports/{id}/download',
      ].sort(),
    );
    expect(
      doc.paths['/api/v1/plans'].post.requestBody.content['application/json'].schema.properties.startedOn,
    ).toBeDefined();
  });

  it('documents the success response of every JSON route (the workbook download is a file)', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const undocumented: string[] = [];
    for (const [route, operations] of Object.entries(
      doc.paths as Record<string, Record<string, { responses?: Record<string, { content?: unknown }> }>>,
    )) {
      if (route.endsWith('/download')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const success = Object.entries(operation.responses ?? {}).filter(
          ([status, r]) => /^2/.test(status) && r.content,
        );
        if (success.length === 0) undocumented.push(`${method.toUpperCase()} ${route}`);
      }
    }
    expect(undocumented).toEqual([]);
  });
});

describe('compliance and workbooks', () => {
  it("returns the month's stored Summary blocks: those MonthlyAudit computes over the partnership's plans", async () => {
    const planId = await createPlan({ reference: 'COMP-1', startedOn: '2026-04-01' });
    await postEvent(planId, { id: 'comp-1', type: 'core-group-held', on: '2026-04-20' });
    // Not stored yet: a 404 that says how to get them, never a recomputation per request.
    const missing = await app.inject({
      method: 'GET',
      url: '/api/v1/partnerships/testshire/compliance?month=2026-04',
      headers: auth(),
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ field: 'month', message: expect.stringContaining('figures backfill') });
    // The month in progress has no stored Summary, and says why.
    const current = await app.inject({
      method: 'GET',
      url: `/api/v1/partnerships/testshire/compliance?month=${TODAY.slice(0, 7)}`,
      headers: auth(),
    });
    expect(current.statusCode).toBe(422);
    await backfillFigures(db.prisma, { from: '2026-04', today: TODAY, partnershipId: 'testshire' });
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/partnerships/testshire/compliance?month=2026-04',
      headers: auth(),
    });
    expect(res.statusCode).toBe(200);
    const audit = new MonthlyAudit('2026-04', 'Testshire Safeguarding Partnership');
    for await (const plan of reportPlans({ prisma: db.prisma, partnershipId: 'testshire', month: '2026-04' })())
      audit.add(plan);
    expect(res.json().summary).toEqual(JSON.parse(JSON.stringify(audit.summary())));
    expect(res.json().summary[0].measures.find((m: { id: string }) => m.id === 'plans-open').count).toBeGreaterThan(0);
  });

  it("404 for another partnership's figures, 400 for a bad month, 403 without reports:read", async () => {
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/api/v1/partnerships/otherville/compliance?month=2026-04',
          headers: auth(),
        })
      ).statusCode,
    ).toBe(404);
    const bad = await app.inject({
      method: 'GET',
      url: '/api/v1/partnerships/testshire/compliance?month=2026-13',
      headers: auth(),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([expect.objectContaining({ path: 'month' })]);
    const writer = (await issueApiToken(db.prisma, { name: 'w', partnershipId: 'testshire', scopes: ['events:write'] }))
      .token;
    expect((await app.inject({ method: 'GET', url: '/api/v1/reports', headers: auth(writer) })).statusCode).toBe(403);
  });

  it('lists workbooks and downloads only complete ones of the partnership', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corewatch-api-'));
    const file = path.join(dir, 'r.xlsx');
    fs.writeFileSync(file, 'PK-fake-workbook');
    await db.prisma.monthlyReport.createMany({
      data: [
        {
          id: 'rep-done',
          partnershipId: 'testshire',
          month: '2026-04',
          status: 'complete',
          filePath: file,
          checksum: 'x',
          byteSize: 16,
        },
        { id: 'rep-gen', partnershipId: 'testshire', month: '2026-05', status: 'generating' },
        { id: 'rep-other', partnershipId: 'otherville', month: '2026-04', status: 'complete', filePath: file },
      ],
    });
    const list = await app.inject({ method: 'GET', url: '/api/v1/reports', headers: auth() });
    expect(
      list
        .json()
        .reports.map((r: { id: string }) => r.id)
        .sort(),
    ).toEqual(['rep-done', 'rep-gen']);
    const dl = await app.inject({ method: 'GET', url: '/api/v1/reports/rep-done/download', headers: auth() });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(dl.headers['content-disposition']).toBe('attachment; filename="corewatch-testshire-2026-04.xlsx"');
    expect(dl.body).toBe('PK-fake-workbook');
    expect(await db.prisma.accessLog.findMany({ where: { reportId: 'rep-done' } })).toEqual([
      expect.objectContaining({
        actorKind: 'token',
        action: 'workbook-download',
        route: 'GET /api/v1/reports/:id/download',
      }),
    ]);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/reports/rep-gen/download', headers: auth() })).statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/reports/rep-other/download', headers: auth() })).statusCode,
    ).toBe(404);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('Annex A List 7', () => {
  it('POST /plans takes the template codes or plain words and refuses an unknown code naming the field', async () => {
    const child = {
      localChildId: 'LCID-AA1',
      dateOfBirth: '2016-01-20',
      gender: 'b) Female',
      ethnicity: 'WBRI',
      disability: 'no',
    };
    const reference = await createPlan({
      child,
      annexA: { initialCategory: 'a) Neglect', emergencyProtectionLast6Months: 'b) No', previousPlans: 0 },
    });
    const stored = await db.prisma.plan.findUniqueOrThrow({ where: { id: reference }, include: { child: true } });
    expect([stored.child.gender, stored.child.ethnicity, stored.child.disability]).toEqual(['female', 'WBRI', 'no']);
    expect([stored.initialCategory, stored.emergencyProtectionLast6Months]).toEqual(['neglect', 'no']);

    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/plans',
      headers: auth(),
      payload: planBody({ child: { ...child, localChildId: 'LCID-AA2', ethnicity: 'White British' } }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe('child.ethnicity');
    expect(res.json().issues[0].message).toContain('"White British" is not an Annex A ethnicity: give one of WBRI');
    expect(await db.prisma.child.count({ where: { localChildId: 'LCID-AA2' } })).toBe(0);
  });

  it('documents the route, its query and every status, and lists the accepted codes', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const get = doc.paths['/api/v1/partnerships/{id}/annex-a'].get;
    expect(Object.keys(get.responses).sort()).toEqual(['200', '400', '401', '403', '404', '422', '500', '503']);
    expect(Object.keys(get.responses['200'].content)).toEqual([
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
    expect(get.parameters.map((p: { name: string; in: string }) => `${p.in} ${p.name}`).sort()).toEqual([
      'path id',
      'query asOf',
    ]);
    const childSchema = doc.paths['/api/v1/plans'].post.requestBody.content['application/json'].schema.properties.child;
    expect(childSchema.properties.gender.enum).toEqual(expect.arrayContaining(['female', 'b) Female']));
  });

  it('GET /partnerships/{id}/annex-a sends the file and logs the download against the token first', async () => {
    // Two plans of the same child: one row for them.
    await createPlan();
    await createPlan();
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/partnerships/testshire/annex-a?asOf=2026-05-01',
      headers: auth(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe('attachment; filename="annex-a-list-7-testshire-2026-05-01.xlsx"');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corewatch-api-annex-a-'));
    try {
      const file = path.join(dir, 'list-7.xlsx');
      fs.writeFileSync(file, res.rawPayload);
      const [sheet, ...others] = readXlsx(file);
      expect(others).toEqual([]);
      expect(sheet!.name).toBe('List 7');
      const ids = sheet!.cells.filter((c) => c.column === 1).map((c) => c.value);
      // One row per child, whatever the plans of each.
      expect(ids[0]).toBe('Child Unique ID');
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(['LCID-0001', 'LCID-AA1']));
      expect(sheet!.dimension).toBe(`A1:Q${ids.length}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const logged = await db.prisma.accessLog.findMany({ where: { action: 'annex-a-download' } });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ actorKind: 'token', partnershipId: 'testshire', personId: null });
    expect(logged[0]!.tokenId).not.toBeNull();
    expect(logged[0]!.route).toBe('GET /api/v1/partnerships/:id/annex-a asOf=2026-05-01');
    // Nothing of it is left behind in the reports folder once the response is sent (deleted when the stream closes).
    const leftovers = () =>
      fs.existsSync(loadConfig().REPORTS_DIR)
        ? fs.readdirSync(loadConfig().REPORTS_DIR).filter((f) => f.startsWith('.annex-a-'))
        : [];
    await eventually(() => expect(leftovers()).toEqual([]), 5000);
  });

  it.each([
    ['/api/v1/partnerships/otherville/annex-a', 404, 'id'],
    ['/api/v1/partnerships/testshire/annex-a?asOf=2026-06-02', 422, 'asOf'],
    ['/api/v1/partnerships/testshire/annex-a?asOf=2026-02-30', 422, 'asOf'],
    ['/api/v1/partnerships/testshire/annex-a?asOf=01/05/2026', 400, 'asOf'],
    ['/api/v1/partnerships/testshire/annex-a?as_of=2026-05-01', 400, 'as_of'],
  ])('GET %s is %i naming %s, and logs nothing', async (url, status, field) => {
    const before = await db.prisma.accessLog.count({ where: { action: 'annex-a-download' } });
    const res = await app.inject({ method: 'GET', url, headers: auth() });
    expect(res.statusCode).toBe(status);
    const body = res.json();
    expect(body.field ?? body.issues?.[0]?.path).toBe(field);
    expect(await db.prisma.accessLog.count({ where: { action: 'annex-a-download' } })).toBe(before);
  });
});
