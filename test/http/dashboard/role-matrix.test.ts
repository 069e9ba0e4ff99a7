/**
 * Who may see what, walked whole: every role against every dashboard route, and every API token scope against every
 * API route, over a real PostgreSQL database. Not signed in (or no longer an active person): 401. Signed in but not
 * allowed: 403. And no response, whatever its status, carries a plan reference outside the caller's scope or any
 * child's name; analysts see pseudonyms only. Every plan read and workbook download that succeeded, and only those,
 * is in the access log.
 *
 * The expected tables are written out here by hand (not derived from domain/access.ts), so a change to the grants
 * fails this test until the table is changed too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../../http/app';
import { loadConfig } from '../../../platform/env';
import { issueApiToken, type ApiScope } from '../../../services/api-tokens';
import { backfillFigures } from '../../../services/monthly-figures';
import { createPlan } from '../../../services/plan-data';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { CHILD_NAME, PEOPLE, planRoles, seedPartnership } from '../../support/fixtures';
import { signedInCookie } from '../../support/sessions';

const TODAY = '2026-06-15';
const OTHER_CHILD = 'Yolanda Otherchild';
const FOREIGN_CHILD = 'Xavier Foreignchild';
const config = loadConfig({ COREWATCH_ENV: 'test' });

// Plans of testshire: A-OWN and A-OTHER in team A (managed by Tess), B-SW in team B; Sam is the social worker of A-OWN
// and B-SW, Sid of A-OTHER. OTH-1 belongs to another partnership.
const OWN_PARTNERSHIP_PLANS = ['A-OWN', 'A-OTHER', 'B-SW'] as const;
const ALL_PLANS = [...OWN_PARTNERSHIP_PLANS, 'OTH-1'];

type Who =
  'anonymous' | 'deactivated' | 'no-role' | 'analyst' | 'team-manager' | 'social-worker' | 'auditor' | 'administrator';
const PERSON: Record<Exclude<Who, 'anonymous'>, string> = {
  deactivated: 'p-gone',
  'no-role': PEOPLE.chair.id,
  analyst: 'p-an',
  'team-manager': PEOPLE.teamManager.id,
  'social-worker': PEOPLE.socialWorker.id,
  auditor: 'p-aud',
  administrator: 'p-admin',
};

const ROUTES = [
  '/',
  '/overdue',
  '/escalations',
  '/plans/A-OWN',
  '/plans/A-OTHER',
  '/plans/B-SW',
  '/plans/OTH-1',
  '/reports',
  '/reports/rep-1/download',
  '/annex-a',
  `/annex-a/download?asOf=${TODAY}`,
  '/access-log',
] as const;
type Route = (typeof ROUTES)[number];

// The matrix. 303 is the landing redirect to the first page the role has.
const EXPECTED: Record<Who, Record<Route, number>> = {
  anonymous: row(401, {}),
  deactivated: row(401, {}),
  'no-role': row(403, {}),
  analyst: row(403, { '/': 200, '/overdue': 200, '/escalations': 200 }),
  'team-manager': row(403, {
    '/': 200,
    '/overdue': 200,
    '/escalations': 200,
    '/plans/A-OWN': 200,
    '/plans/A-OTHER': 200,
    '/plans/OTH-1': 404,
  }),
  'social-worker': row(403, {
    '/': 303,
    '/overdue': 200,
    '/escalations': 200,
    '/plans/A-OWN': 200,
    '/plans/B-SW': 200,
    '/plans/OTH-1': 404,
  }),
  auditor: row(403, {
    '/': 303,
    '/reports': 200,
    '/reports/rep-1/download': 200,
    '/annex-a': 200,
    [`/annex-a/download?asOf=${TODAY}`]: 200,
  }),
  administrator: row(403, { '/': 200, '/access-log': 200 }),
};

/** Plan references each may ever see in a response (administrators see references read, in the access log). */
const MAY_NAME: Record<Who, readonly string[]> = {
  anonymous: [],
  deactivated: [],
  'no-role': [],
  analyst: [],
  'team-manager': ['A-OWN', 'A-OTHER'],
  'social-worker': ['A-OWN', 'B-SW'],
  auditor: [],
  administrator: OWN_PARTNERSHIP_PLANS,
};

function row(otherwise: number, allowed: Partial<Record<Route, number>>): Record<Route, number> {
  return Object.fromEntries(ROUTES.map((r) => [r, allowed[r] ?? otherwise])) as Record<Route, number>;
}

let db: TestDatabase;
let app: FastifyInstance;
let tmp: string;
/** Each signed-in caller's `cookie` header: a real session, made through the session store in beforeAll. */
const sessions = new Map<Exclude<Who, 'anonymous'>, { cookie: string }>();

beforeAll(async () => {
  db = await createTestDatabase('role_matrix');
  const p = db.prisma;
  await seedPartnership(p);
  await p.team.create({ data: { id: 'team-b', partnershipId: 'testshire', name: 'Assessment Team B' } });
  await p.child.create({
    data: { id: 'child-2', partnershipId: 'testshire', localChildId: 'LCID-0002', name: OTHER_CHILD },
  });
  await p.person.create({
    data: { id: 'p-sw2', partnershipId: 'testshire', name: 'Sid Second', email: 'sid.second@council.test' },
  });
  for (const [id, name] of [
    ['p-an', 'Ann Analyst'],
    ['p-aud', 'Ada Auditor'],
    ['p-admin', 'Abe Admin'],
    ['p-gone', 'Gus Gone'],
  ] as const) {
    await p.person.create({
      data: { id, partnershipId: 'testshire', name, email: `${id}@council.test`, active: id !== 'p-gone' },
    });
  }
  await p.partnershipMember.createMany({
    data: [
      { partnershipId: 'testshire', personId: 'p-an', role: 'analyst' },
      { partnershipId: 'testshire', personId: 'p-aud', role: 'auditor' },
      { partnershipId: 'testshire', personId: 'p-admin', role: 'administrator' },
      { partnershipId: 'testshire', personId: 'p-gone', role: 'administrator' },
    ],
  });
  await p.teamMember.create({ data: { teamId: 'team-a', personId: PEOPLE.teamManager.id, role: 'team-manager' } });

  const others = planRoles().filter((r) => r.role !== 'social-worker');
  const plan = (id: string, teamId: string, childId: string, socialWorker: string) => ({
    id,
    partnershipId: 'testshire',
    teamId,
    child: { id: childId },
    policyId: 'england' as const,
    type: 'child-protection' as const,
    startedOn: '2026-03-02',
    roles: [...others, { personId: socialWorker, role: 'social-worker' }],
  });
  await createPlan(p, plan('A-OWN', 'team-a', 'child-1', PEOPLE.socialWorker.id), TODAY);
  await createPlan(p, plan('A-OTHER', 'team-a', 'child-2', 'p-sw2'), TODAY);
  await createPlan(p, plan('B-SW', 'team-b', 'child-2', PEOPLE.socialWorker.id), TODAY);

  // May's figures, as the monthly audit stores them (the compliance route reads them).
  await backfillFigures(p, { from: '2026-05', today: TODAY, partnershipId: 'testshire' });

  // Another partnership, whose team manager is Tess's namesake: nothing of it may show in testshire.
  await p.partnership.create({ data: { id: 'otherville', name: 'Otherville', policyId: 'england' } });
  await p.team.create({ data: { id: 'team-o', partnershipId: 'otherville', name: 'O' } });
  await p.child.create({
    data: { id: 'child-o', partnershipId: 'otherville', localChildId: 'O-1', name: FOREIGN_CHILD },
  });
  for (const [id, name] of [
    ['p-o-sw', 'Olive'],
    ['p-o-tm', 'Oscar'],
    ['p-o-chair', 'Orla'],
  ] as const) {
    await p.person.create({
      data: { id, partnershipId: 'otherville', name, email: `${name.toLowerCase()}@otherville.test` },
    });
  }
  await createPlan(
    p,
    {
      id: 'OTH-1',
      partnershipId: 'otherville',
      teamId: 'team-o',
      child: { id: 'child-o' },
      policyId: 'england',
      type: 'child-protection',
      startedOn: '2026-03-02',
      roles: [
        { personId: 'p-o-sw', role: 'social-worker' },
        { personId: 'p-o-tm', role: 'team-manager' },
        { personId: 'p-o-chair', role: 'conference-chair' },
      ],
    },
    TODAY,
  );
  // Tess is also (wrongly, say) recorded as the social worker of OTH-1: still another partnership, so still not hers.
  await p.planRole.create({ data: { planId: 'OTH-1', personId: PEOPLE.teamManager.id, role: 'social-worker' } });

  for (const planId of ALL_PLANS) {
    await p.notification.create({
      data: {
        key: `${planId}|first-core-group|escalation`,
        planId,
        obligationKey: 'first-core-group',
        level: 'escalation',
        recipients: [{ personId: PEOPLE.teamManager.id, role: 'team-manager', email: PEOPLE.teamManager.email }],
        subject: `First core group overdue: plan ${planId}`,
        status: 'sent',
        sentAt: new Date('2026-03-20T09:00:00Z'),
      },
    });
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corewatch-matrix-'));
  const file = path.join(tmp, 'audit.xlsx');
  fs.writeFileSync(file, 'workbook bytes');
  await p.monthlyReport.create({
    data: {
      id: 'rep-1',
      partnershipId: 'testshire',
      month: '2026-05',
      status: 'complete',
      filePath: file,
      byteSize: 14,
      generatedAt: new Date('2026-06-01T06:00:00Z'),
    },
  });
  await p.monthlyReport.create({
    data: {
      id: 'rep-o',
      partnershipId: 'otherville',
      month: '2026-05',
      status: 'complete',
      filePath: file,
      byteSize: 14,
    },
  });

  // One real stored session per person (a deactivated person's too: it must stop working, not fail to start).
  for (const [who, personId] of Object.entries(PERSON) as Array<[Exclude<Who, 'anonymous'>, string]>) {
    sessions.set(who, await signedInCookie(p, config, { personId, partnershipId: 'testshire', displayName: who }));
  }

  app = buildHttpApp({ prisma: p, config, today: () => TODAY });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function sessionCookie(who: Who): Record<string, string> {
  return who === 'anonymous' ? {} : sessions.get(who)!;
}

const namedPlans = (body: string) => ALL_PLANS.filter((ref) => new RegExp(`\\b${ref}\\b`).test(body));

describe('dashboard: every role against every route', () => {
  const seen: Array<{ who: Who; route: Route; status: number }> = [];

  describe.each(Object.keys(EXPECTED) as Who[])('%s', (who) => {
    it.each([...ROUTES])('%s', async (route) => {
      const res = await app.inject({ method: 'GET', url: route, headers: sessionCookie(who) });
      seen.push({ who, route, status: res.statusCode });
      expect(res.statusCode).toBe(EXPECTED[who][route]);
      if (res.statusCode === 401) expect(res.body).toContain('Sign in');
      if (route === '/reports/rep-1/download' && res.statusCode === 200) {
        expect(res.body).toBe('workbook bytes');
        return;
      }
      if (route.startsWith('/annex-a/download') && res.statusCode === 200) {
        // A zip (an .xlsx), and the download logged against the person before it was sent.
        expect(res.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
        expect(
          await db.prisma.accessLog.count({ where: { action: 'annex-a-download', personId: PERSON.auditor } }),
        ).toBe(1);
        return;
      }
      // Whatever the status, nothing outside the caller's scope.
      expect(namedPlans(res.body).filter((ref) => !MAY_NAME[who].includes(ref))).toEqual([]);
      for (const name of [CHILD_NAME, OTHER_CHILD, FOREIGN_CHILD]) expect(res.body).not.toContain(name);
    });
  });

  it('lands each role on its first page', async () => {
    const landing = async (who: Who) =>
      (await app.inject({ method: 'GET', url: '/', headers: sessionCookie(who) })).headers.location;
    expect(await landing('social-worker')).toBe('/overdue');
    expect(await landing('auditor')).toBe('/reports');
  });

  it("links the overview's overdue count to the list only for those who may open it (its body is shared)", async () => {
    // The overview's body is rendered once per set of shared figures; who may follow the link still decides it.
    const overdueNow = async (who: Who) => {
      const res = await app.inject({ method: 'GET', url: '/', headers: sessionCookie(who) });
      expect(res.statusCode).toBe(200);
      return /data-testid="overdue-now">(.*?)<\/p>/s.exec(res.body)?.[1] ?? '';
    };
    const link = '<a class="govuk-link" href="/overdue">';
    for (let round = 0; round < 2; round++) {
      expect(await overdueNow('administrator')).not.toContain(link);
      expect(await overdueNow('team-manager')).toContain(link);
    }
  });

  it('lists exactly the plans in scope: own teams, own caseload, or every plan by pseudonym', async () => {
    const overdue = async (who: Who) =>
      (await app.inject({ method: 'GET', url: '/overdue', headers: sessionCookie(who) })).body;
    const links = (body: string) => [...body.matchAll(/href="\/plans\/([^"]+)"/g)].map((m) => m[1]).sort();
    const rows = (body: string) => body.match(/data-testid="days-overdue"/g)?.length ?? 0;
    const manager = await overdue('team-manager');
    expect(links(manager)).toEqual(['A-OTHER', 'A-OWN']);
    expect(rows(manager)).toBe(2);
    const worker = await overdue('social-worker');
    expect(links(worker)).toEqual(['A-OWN', 'B-SW']);
    expect(rows(worker)).toBe(2);
    const analyst = await overdue('analyst');
    expect(links(analyst)).toEqual([]);
    expect(rows(analyst)).toBe(3);
    const pseudonyms = [...analyst.matchAll(/data-testid="pseudonym">(P-[0-9A-F]{10})</g)].map((m) => m[1]);
    expect(new Set(pseudonyms).size).toBe(3);
    // Stable: the same plan has the same pseudonym on the escalations page.
    const escalations = (await app.inject({ method: 'GET', url: '/escalations', headers: sessionCookie('analyst') }))
      .body;
    expect([...escalations.matchAll(/data-testid="pseudonym">(P-[0-9A-F]{10})</g)].map((m) => m[1]).sort()).toEqual(
      [...pseudonyms].sort(),
    );
    // And nobody else sees a pseudonymised row: what is not theirs is left out.
    for (const who of ['team-manager', 'social-worker'] as const) {
      for (const url of ['/overdue', '/escalations']) {
        expect((await app.inject({ method: 'GET', url, headers: sessionCookie(who) })).body).not.toContain(
          'data-testid="pseudonym"',
        );
      }
    }
  });

  it('logged exactly the plan reads and downloads that succeeded, against the person', async () => {
    const rows = await db.prisma.accessLog.findMany({
      where: { action: { in: ['plan-read', 'workbook-download'] } },
      orderBy: { at: 'asc' },
    });
    const expected = seen
      .filter((s) => s.status === 200 && (s.route.startsWith('/plans/') || s.route.endsWith('/download')))
      .map((s) => `${PERSON[s.who as Exclude<Who, 'anonymous'>]} ${s.route}`);
    expect(expected.length).toBe(5);
    expect(
      rows.map((r) => `${r.personId} ${r.planId ? `/plans/${r.planId}` : `/reports/${r.reportId}/download`}`).sort(),
    ).toEqual(expected.sort());
    expect(rows.every((r) => r.actorKind === 'person' && r.tokenId === null && r.partnershipId === 'testshire')).toBe(
      true,
    );
  });

  it('takes a role away at once: rights are read per request, not from the cookie', async () => {
    await db.prisma.teamMember.delete({
      where: { teamId_personId_role: { teamId: 'team-a', personId: PEOPLE.teamManager.id, role: 'team-manager' } },
    });
    try {
      expect(
        (await app.inject({ method: 'GET', url: '/plans/A-OTHER', headers: sessionCookie('team-manager') })).statusCode,
      ).toBe(403);
    } finally {
      await db.prisma.teamMember.create({
        data: { teamId: 'team-a', personId: PEOPLE.teamManager.id, role: 'team-manager' },
      });
    }
  });

  it('refuses to change or delete the access log', async () => {
    const any = await db.prisma.accessLog.findFirstOrThrow();
    await expect(db.prisma.accessLog.update({ where: { id: any.id }, data: { route: 'x' } })).rejects.toThrow(
      /append-only/,
    );
    await expect(db.prisma.accessLog.delete({ where: { id: any.id } })).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRawUnsafe('TRUNCATE "AccessLog"')).rejects.toThrow(/append-only/);
  });
});

describe('API: every token scope against every route', () => {
  type Call = { method: 'GET' | 'POST'; url: string; scope: ApiScope | 'public'; allowed: number };
  // Writes carry an empty body: allowed, it is a 400 naming the fields; refused, it is never read.
  const CALLS: Call[] = [
    { method: 'GET', url: '/api/v1/openapi.json', scope: 'public', allowed: 200 },
    { method: 'GET', url: '/api/v1/plans', scope: 'plans:read', allowed: 200 },
    { method: 'GET', url: '/api/v1/plans/A-OWN', scope: 'plans:read', allowed: 200 },
    { method: 'GET', url: '/api/v1/plans/OTH-1', scope: 'plans:read', allowed: 404 },
    { method: 'POST', url: '/api/v1/plans', scope: 'plans:write', allowed: 400 },
    { method: 'POST', url: '/api/v1/plans/A-OWN/events', scope: 'events:write', allowed: 400 },
    { method: 'POST', url: '/api/v1/plans/A-OWN/events/batch', scope: 'events:write', allowed: 400 },
    {
      method: 'GET',
      url: '/api/v1/partnerships/testshire/compliance?month=2026-05',
      scope: 'reports:read',
      allowed: 200,
    },
    {
      method: 'GET',
      url: '/api/v1/partnerships/otherville/compliance?month=2026-05',
      scope: 'reports:read',
      allowed: 404,
    },
    { method: 'GET', url: '/api/v1/reports', scope: 'reports:read', allowed: 200 },
    { method: 'GET', url: '/api/v1/partnerships/testshire/annex-a', scope: 'reports:read', allowed: 200 },
    { method: 'GET', url: '/api/v1/partnerships/otherville/annex-a', scope: 'reports:read', allowed: 404 },
    { method: 'GET', url: '/api/v1/reports/rep-1/download', scope: 'reports:read', allowed: 200 },
    { method: 'GET', url: '/api/v1/reports/rep-o/download', scope: 'reports:read', allowed: 404 },
  ];
  const HOLDERS: Array<ApiScope | 'no token' | 'revoked'> = [
    'no token',
    'revoked',
    'plans:read',
    'plans:write',
    'events:write',
    'reports:read',
  ];
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    for (const holder of HOLDERS) {
      if (holder === 'no token') continue;
      const issued = await issueApiToken(db.prisma, {
        name: holder,
        partnershipId: 'testshire',
        scopes: holder === 'revoked' ? ['plans:read', 'plans:write', 'events:write', 'reports:read'] : [holder],
      });
      if (holder === 'revoked')
        await db.prisma.apiToken.update({ where: { id: issued.id }, data: { revokedAt: new Date() } });
      tokens.set(holder, issued.token);
    }
  });

  describe.each(HOLDERS)('%s', (holder) => {
    it.each(CALLS.map((c) => [`${c.method} ${c.url}`, c] as const))('%s', async (_name, call) => {
      const token = tokens.get(holder);
      const res = await app.inject({
        method: call.method,
        url: call.url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(call.method === 'POST' ? { payload: {} } : {}),
      });
      const expected =
        call.scope === 'public'
          ? call.allowed
          : holder === 'no token' || holder === 'revoked'
            ? 401
            : holder === call.scope
              ? call.allowed
              : 403;
      expect(res.statusCode).toBe(expected);
      if (expected === 401) expect(res.headers['www-authenticate']).toBe('Bearer');
      // (A 404 may echo the reference the caller sent; it says nothing more of it.)
      if (!call.url.includes('OTH-1')) expect(res.body).not.toContain('OTH-1');
      for (const name of [CHILD_NAME, OTHER_CHILD, FOREIGN_CHILD]) expect(res.body).not.toContain(name);
    });
  });
});
