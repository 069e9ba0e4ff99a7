/**
 * The dashboard in a real headless Chromium (Debian's, driven by playwright-core) against the app listening on a
 * loopback port over a real PostgreSQL database of its own, signed in through the built-in demo identities (one per
 * role). Every page is checked by axe-core (zero violations) and screenshotted into test-artifacts/screenshots/
 * (gitignored) for a human to look at. OpenID Connect sign-in: oidc-sign-in.test.ts; every role against every
 * route: role-matrix.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildHttpApp } from '../../../http/app';
import { loadConfig } from '../../../platform/env';
import { backfillFigures } from '../../../services/monthly-figures';
import { createPlan } from '../../../services/plan-data';
import { sessionSigner } from '../../../http/dashboard/session';
import { revokeSessions, SESSION_MS } from '../../../services/sessions';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { CHILD_NAME, newPlan, PEOPLE, seedPartnership } from '../../support/fixtures';
import { checkPage, launchBrowser, newPage } from '../../support/browser';
import { cookieHeader, signedInCookie, signInForm, signInThroughDemoForm, VIA_TLS_PROXY } from '../../support/sessions';

const TODAY = '2026-06-15';
// Every sign-in here comes from 127.0.0.1: the per-address limit is oidc-sign-in.test.ts's to test, not this file's.
const config = loadConfig({ COREWATCH_ENV: 'test', DEMO_PARTNERSHIP: 'testshire', SIGN_IN_RATE_LIMIT: '1000' });
const FORM = { 'content-type': 'application/x-www-form-urlencoded' } as const;
let db: TestDatabase;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let tmp: string;

beforeAll(async () => {
  db = await createTestDatabase('dashboard');
  await seedPartnership(db.prisma);
  // Overdue: started 2026-04-01 and nothing since, so its first core group is long past due on TODAY.
  await createPlan(db.prisma, newPlan('DASH-OVERDUE', '2026-04-01'), TODAY);
  // In time: started five days before TODAY.
  await createPlan(db.prisma, newPlan('DASH-FRESH', '2026-06-10'), TODAY);
  await db.prisma.notification.create({
    data: {
      key: 'DASH-OVERDUE/first-core-group/escalation',
      planId: 'DASH-OVERDUE',
      obligationKey: 'first-core-group',
      level: 'escalation',
      recipients: [{ personId: 'p-tm', role: 'team-manager', email: 'tess.manager@council.test' }],
      subject: 'First core group overdue',
      status: 'sent',
      sentAt: new Date('2026-04-20T09:00:00Z'),
    },
  });
  // The demo identities on offer: the team manager manages team-a, the auditor and the administrator by membership.
  await db.prisma.teamMember.create({
    data: { teamId: 'team-a', personId: PEOPLE.teamManager.id, role: 'team-manager' },
  });
  await db.prisma.person.create({
    data: { id: 'p-aud', partnershipId: 'testshire', name: 'Ada Auditor', email: 'ada.auditor@council.test' },
  });
  await db.prisma.person.create({
    data: { id: 'p-admin', partnershipId: 'testshire', name: 'Abe Admin', email: 'abe.admin@council.test' },
  });
  await db.prisma.person.create({
    data: { id: 'p-an', partnershipId: 'testshire', name: 'Ann Analyst', email: 'ann.analyst@council.test' },
  });
  await db.prisma.partnershipMember.createMany({
    data: [
      { partnershipId: 'testshire', personId: 'p-aud', role: 'auditor' },
      { partnershipId: 'testshire', personId: 'p-admin', role: 'administrator' },
      { partnershipId: 'testshire', personId: 'p-an', role: 'analyst' },
    ],
  });
  // The monthly audit's stored figures for April and May (March left unstored on purpose).
  await backfillFigures(db.prisma, { from: '2026-04', today: TODAY, partnershipId: 'testshire' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corewatch-dashboard-'));
  const file = path.join(tmp, 'audit.xlsx');
  fs.writeFileSync(file, 'not really a workbook');
  await db.prisma.monthlyReport.create({
    data: {
      id: 'rep-2026-05',
      partnershipId: 'testshire',
      month: '2026-05',
      status: 'complete',
      filePath: file,
      byteSize: 21,
      generatedAt: new Date('2026-06-01T06:00:00Z'),
    },
  });

  app = buildHttpApp({ prisma: db.prisma, config, today: () => TODAY });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.drop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Signs in through the demo sign-in page as the person whose button names them. */
async function signInAs(displayName: string): Promise<Page> {
  const page = await newPage(browser);
  await page.goto(`${base}/sign-in`);
  await page.getByRole('button', { name: new RegExp(`^Sign in as ${displayName}, `) }).click();
  await page.waitForLoadState('load');
  return page;
}

describe('signed out', () => {
  it('shows the sign-in page with a 401, then returns to the page asked for', async () => {
    const page = await newPage(browser);
    const res = await page.goto(`${base}/overdue`);
    expect(res?.status()).toBe(401);
    await expect(page.locator('h1').textContent()).resolves.toBe('Sign in');
    await checkPage(page, 'sign-in');
    await page.getByRole('button', { name: /^Sign in as Tess Manager, team manager \(demo only\)$/ }).click();
    await page.waitForURL(`${base}/overdue`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Overdue now');
    await page.context().close();
  });

  it('offers only the people who hold a role, each named with it', async () => {
    const page = await newPage(browser);
    await page.goto(`${base}/sign-in`);
    const buttons = await page.getByRole('button', { name: /^Sign in as / }).allTextContents();
    expect(buttons.map((b) => b.trim()).sort()).toEqual([
      'Sign in as Abe Admin, administrator (demo only)',
      'Sign in as Ada Auditor, auditor (demo only)',
      'Sign in as Ann Analyst, partnership analyst (demo only)',
      'Sign in as Sam Worker, social worker (demo only)',
      'Sign in as Tess Manager, team manager (demo only)',
    ]);
    await page.context().close();
  });

  it("refuses a sign-in whose CSRF token is missing, forged or not its cookie's, with the 403 page, starting no session", async () => {
    const mine = await signInForm(app);
    const theirs = await signInForm(app);
    const attempts: Array<{ csrf?: string; cookie: string }> = [
      { csrf: 'forged', cookie: 'cw_csrf=other' },
      { cookie: mine.cookie },
      { csrf: 'forged', cookie: mine.cookie },
      { csrf: theirs.csrf, cookie: mine.cookie },
      { csrf: mine.csrf, cookie: '' },
      { csrf: mine.csrf, cookie: mine.cookie.replace(/\.[^.]*$/, '.forged') }, // the secret cookie's signature forged
    ];
    const sessions = await db.prisma.dashboardSession.count();
    for (const { csrf, cookie } of attempts) {
      const payload = new URLSearchParams({ ...(csrf ? { csrf } : {}), personId: PEOPLE.teamManager.id }).toString();
      const res = await app.inject({
        method: 'POST',
        url: '/sign-in/demo',
        payload,
        headers: { ...FORM, ...VIA_TLS_PROXY, cookie },
      });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('Your sign-in form expired');
      expect(cookieHeader(res.headers['set-cookie'], 'cw_session')).toBe('');
    }
    expect(await db.prisma.dashboardSession.count()).toBe(sessions);
  });

  it('refuses a demo sign-in as someone who is not offered (no role, or another partnership)', async () => {
    const form = await signInForm(app);
    const sessions = await db.prisma.dashboardSession.count();
    for (const personId of [PEOPLE.chair.id, 'nobody']) {
      const payload = new URLSearchParams({ csrf: form.csrf, personId }).toString();
      const res = await app.inject({
        method: 'POST',
        url: '/sign-in/demo',
        payload,
        headers: { ...FORM, ...VIA_TLS_PROXY, cookie: form.cookie },
      });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('That is not one of the demo identities');
      expect(cookieHeader(res.headers['set-cookie'], 'cw_session')).toBe('');
    }
    expect(await db.prisma.dashboardSession.count()).toBe(sessions);
  });

  it('sets no session on a sign-in that did not arrive over HTTPS, nor believes X-Forwarded-Proto from an address it does not trust', async () => {
    const form = await signInForm(app);
    const payload = new URLSearchParams({ csrf: form.csrf, personId: PEOPLE.teamManager.id }).toString();
    const sessions = await db.prisma.dashboardSession.count();
    for (const [headers, remoteAddress] of [
      [{}, '127.0.0.1'],
      [VIA_TLS_PROXY, '203.0.113.9'],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/sign-in/demo',
        payload,
        remoteAddress,
        headers: { ...FORM, ...headers, cookie: form.cookie },
      });
      expect(cookieHeader(res.headers['set-cookie'], 'cw_session')).toBe('');
    }
    expect(await db.prisma.dashboardSession.count()).toBe(sessions);
  });

  it('refuses a form over 4 KiB with a 413 page, starting no session', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/sign-in/demo',
      payload: `csrf=${'a'.repeat(5000)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a forged session cookie, and a well-signed one naming no stored session', async () => {
    const unknown = encodeURIComponent(sessionSigner(config).sign('a-session-id-never-stored'));
    for (const cookie of ['cw_session=eyJwZXJzb25JZCI6InAtdG0ifQ.forged', `cw_session=${unknown}`]) {
      const res = await app.inject({ method: 'GET', url: '/', headers: { cookie } });
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('Sign in');
    }
  });

  it('sends the security headers on pages, assets, the API and unknown paths alike; no-store unless a route caches', async () => {
    const headers = {
      'content-security-policy':
        "default-src 'self';img-src 'self' data:;object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'permissions-policy': 'camera=(), microphone=(), geolocation=()',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
    };
    for (const url of [
      '/sign-in',
      '/overdue',
      '/api/v1/plans',
      '/api/v1/openapi.json',
      '/no-such-page',
      '/assets/govuk-frontend.min.css',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.headers).toMatchObject(headers);
      if (url.startsWith('/assets/')) expect(res.headers['cache-control']).toMatch(/max-age/);
      else expect(res.headers['cache-control']).toBe('no-store');
    }
    // Plain-http development has no HSTS (a browser would otherwise refuse http://127.0.0.1 for a year).
    const development = buildHttpApp({ prisma: db.prisma, config: loadConfig({ DEMO_PARTNERSHIP: 'testshire' }) });
    try {
      const res = await development.inject({ method: 'GET', url: '/sign-in' });
      const { 'strict-transport-security': _hsts, ...others } = headers;
      expect(res.headers).toMatchObject(others);
      expect(res.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await development.close();
    }
  });
});

describe('signed in as the demo team manager', () => {
  let page: Page;
  beforeAll(async () => {
    page = await signInAs('Tess Manager');
  });
  afterAll(async () => page?.context().close());

  it('sets an HttpOnly, SameSite=Lax, Secure session cookie that names only its session, for eight hours', async () => {
    const session = (await page.context().cookies()).find((c) => c.name === 'cw_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true });
    // The signed session id and nothing else: who is signed in is the row on the server.
    const [id, signature, extra] = decodeURIComponent(session!.value).split('.');
    expect([id?.length, signature?.length, extra]).toEqual([32, 43, undefined]);
    const row = await db.prisma.dashboardSession.findUniqueOrThrow({ where: { id: id! } });
    expect(row).toMatchObject({
      personId: PEOPLE.teamManager.id,
      partnershipId: 'testshire',
      data: { displayName: 'Tess Manager', demo: true },
    });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(SESSION_MS - 5_000);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(SESSION_MS);
    expect(Math.abs(session!.expires * 1000 - row.expiresAt.getTime())).toBeLessThan(5_000);
  });

  it('overview: the Summary per team and the 12-month trend, with the demo notice', async () => {
    await page.goto(`${base}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Testshire Safeguarding Partnership');
    await expect(page.getByText('Demo identity — not for real data').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('demo-banner').textContent()).resolves.toContain('Tess Manager, team manager');
    const captions = await page.locator('caption').allTextContents();
    expect(captions).toEqual(
      expect.arrayContaining([
        expect.stringContaining('whole partnership'),
        expect.stringContaining('Team: Assessment Team A'),
      ]),
    );
    expect(await page.locator('svg[role="img"] title').textContent()).toContain('last 12 months');
    // The trend reads the stored monthly figures: in May 2026 only DASH-OVERDUE was open (DASH-FRESH started in
    // June), and its first core group, due 17 April, was not held: escalated on 20 April; March was never stored.
    const may = page.getByTestId('trend-table').getByRole('row', { name: /^May 2026/ });
    await expect(may.getByRole('cell').allTextContents()).resolves.toEqual([
      'none due',
      'none due',
      'none due',
      'none due',
      '1',
      '0',
    ]);
    const april = page.getByTestId('trend-table').getByRole('row', { name: /^April 2026/ });
    await expect(april.getByRole('cell').allTextContents()).resolves.toEqual([
      '0.0% (0 of 1)',
      'none due',
      'none due',
      'none due',
      '1',
      '1',
    ]);
    await expect(
      page
        .getByTestId('trend-table')
        .getByRole('row', { name: /^March 2026/ })
        .textContent(),
    ).resolves.toContain('Not computed yet');
    // Today so far (June): nothing of DASH-FRESH's is due before 15 June, and DASH-OVERDUE is overdue now.
    await expect(page.getByTestId('overdue-now').textContent()).resolves.toContain(
      '1 open plan has an overdue obligation',
    );
    // A team manager is offered the overview and the lists, not the workbooks or the access log.
    expect(await page.getByRole('navigation', { name: 'Menu' }).getByRole('link').allTextContents()).toEqual([
      'Overview',
      'Overdue now',
      'Escalations',
    ]);
    await checkPage(page, 'overview');
  });

  it('overdue: the overdue plan with its days overdue, and no child name', async () => {
    await page.goto(`${base}/overdue`);
    const rows = page.locator('[data-testid="overdue-table"] tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().getByRole('link').textContent()).resolves.toBe('DASH-OVERDUE');
    // first core group: 10 working days after 2026-04-01 (Easter 3 and 6 April) = 2026-04-17; 59 days to 15 June.
    await expect(rows.first().locator('[data-testid="days-overdue"]').textContent()).resolves.toBe('59');
    expect(await page.content()).not.toContain(CHILD_NAME);
    await checkPage(page, 'overdue');
  });

  it('plan: the timeline with citations, and the read is logged against the person', async () => {
    const before = await db.prisma.accessLog.count({ where: { planId: 'DASH-OVERDUE' } });
    await page.goto(`${base}/overdue`);
    await page.getByRole('link', { name: 'DASH-OVERDUE' }).click();
    await page.waitForURL(`${base}/plans/DASH-OVERDUE`);
    const citations = await page.locator('[data-testid="citation"]').allTextContents();
    expect(citations.some((c) => c.includes('first-core-group'))).toBe(true);
    expect(await page.getByText('overdue', { exact: true }).count()).toBeGreaterThan(0);
    expect(await page.content()).not.toContain(CHILD_NAME);
    expect(await db.prisma.accessLog.count({ where: { planId: 'DASH-OVERDUE' } })).toBe(before + 1);
    expect(
      await db.prisma.accessLog.findFirst({ where: { planId: 'DASH-OVERDUE' }, orderBy: { at: 'desc' } }),
    ).toMatchObject({
      actorKind: 'person',
      personId: PEOPLE.teamManager.id,
      tokenId: null,
      action: 'plan-read',
      route: 'GET /plans/:planId',
      partnershipId: 'testshire',
    });
    await checkPage(page, 'plan');
  });

  it('escalations: newest first', async () => {
    await page.goto(`${base}/escalations`);
    await expect(page.locator('tbody tr').first().textContent()).resolves.toContain('DASH-OVERDUE');
    await checkPage(page, 'escalations');
  });

  it("the workbooks are not a team manager's: 403", async () => {
    const res = await page.goto(`${base}/reports`);
    expect(res?.status()).toBe(403);
    await checkPage(page, 'forbidden');
  });

  it('another partnership is not reachable', async () => {
    const res = await page.request.get(`${base}/plans/NOPE-1`);
    expect(res.status()).toBe(404);
  });

  it('signs out, ending the session on the server: its cookie, copied before, is refused afterwards', async () => {
    const other = await signInAs('Tess Manager');
    const copied = {
      cookie: `cw_session=${(await other.context().cookies()).find((c) => c.name === 'cw_session')!.value}`,
    };
    expect((await app.inject({ method: 'GET', url: '/overdue', headers: copied })).statusCode).toBe(200);
    await other.getByRole('button', { name: 'Sign out' }).click();
    await other.waitForURL(`${base}/sign-in`);
    expect((await other.context().cookies()).find((c) => c.name === 'cw_session')).toBeUndefined();
    expect((await other.request.get(`${base}/overdue`)).status()).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/overdue', headers: copied })).statusCode).toBe(401);
    await other.context().close();
  });
});

describe('signed in as the demo auditor', () => {
  it('lands on the reports, whose download serves the workbook and is logged', async () => {
    const page = await signInAs('Ada Auditor');
    expect(new URL(page.url()).pathname).toBe('/reports');
    const link = page.getByRole('link', { name: /Download May 2026 workbook/ });
    expect(await link.getAttribute('href')).toBe('/reports/rep-2026-05/download');
    const res = await page.request.get(`${base}/reports/rep-2026-05/download`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toContain('corewatch-testshire-2026-05.xlsx');
    expect(await db.prisma.accessLog.findFirst({ where: { reportId: 'rep-2026-05' } })).toMatchObject({
      actorKind: 'person',
      personId: 'p-aud',
      action: 'workbook-download',
    });
    await checkPage(page, 'reports');
    await page.context().close();
  });

  it('picks a day on the Annex A page and downloads List 7 for it, logged against them', async () => {
    const page = await signInAs('Ada Auditor');
    await page.getByRole('link', { name: 'Annex A' }).click();
    expect(new URL(page.url()).pathname).toBe('/annex-a');
    await checkPage(page, 'annex-a');
    await page.getByLabel('Children on a plan on').fill('2026-06-12');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Annex A List 7 (.xlsx)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('annex-a-list-7-testshire-2026-06-12.xlsx');
    expect(await db.prisma.accessLog.findFirst({ where: { action: 'annex-a-download' } })).toMatchObject({
      actorKind: 'person',
      personId: 'p-aud',
      route: 'GET /annex-a/download asOf=2026-06-12',
    });
    await page.context().close();
  });
});

describe('signed in as the demo analyst', () => {
  it('sees the overdue list by pseudonym, with no plan reference and no link', async () => {
    const page = await signInAs('Ann Analyst');
    await page.goto(`${base}/overdue`);
    const rows = page.locator('[data-testid="overdue-table"] tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    expect(await rows.first().getByRole('link').count()).toBe(0);
    await expect(rows.first().getByTestId('pseudonym').textContent()).resolves.toMatch(/^P-[0-9A-F]{10}$/);
    expect(await page.content()).not.toContain('DASH-OVERDUE');
    await checkPage(page, 'overdue-analyst');
    await page.context().close();
  });
});

describe('signed in as the demo administrator', () => {
  it('reads the access log: who read which plan and workbook, newest first, its own read included', async () => {
    const page = await signInAs('Abe Admin');
    await page.goto(`${base}/access-log`);
    const table = page.getByTestId('access-log');
    const text = await table.textContent();
    expect(text).toContain('Tess Manager <tess.manager@council.test>');
    expect(text).toContain('DASH-OVERDUE');
    expect(text).toContain('Ada Auditor <ada.auditor@council.test>');
    expect(text).toContain('rep-2026-05');
    await expect(table.locator('tbody tr').first().textContent()).resolves.toContain('Read the access log');
    await checkPage(page, 'access-log');
    await page.context().close();
  });
});

describe('sessions end on the server', () => {
  /** The sign-out form's token on a signed-in page, with the CSRF cookie that page set. */
  async function signOutForm(session: { cookie: string }): Promise<{ csrf: string; cookie: string }> {
    const res = await app.inject({ method: 'GET', url: '/overdue', headers: session });
    expect(res.statusCode).toBe(200);
    const csrf = /action="\/sign-out"[^>]*><input type="hidden" name="csrf" value="([^"]+)"/.exec(res.body)?.[1];
    return { csrf: csrf!, cookie: `${session.cookie}; ${cookieHeader(res.headers['set-cookie'], 'cw_csrf')}` };
  }
  const overdue = async (session: { cookie: string }) =>
    (await app.inject({ method: 'GET', url: '/overdue', headers: session })).statusCode;

  it('sign-out deletes the session row, so a cookie captured before sign-out gets 401 afterwards', async () => {
    const session = await signInThroughDemoForm(app, PEOPLE.teamManager.id);
    const form = await signOutForm(session);
    const rows = await db.prisma.dashboardSession.count({ where: { personId: PEOPLE.teamManager.id } });
    const res = await app.inject({
      method: 'POST',
      url: '/sign-out',
      payload: `csrf=${encodeURIComponent(form.csrf)}`,
      headers: { ...FORM, cookie: form.cookie },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
    expect(String(res.headers['set-cookie'])).toMatch(/cw_session=;/);
    expect(await db.prisma.dashboardSession.count({ where: { personId: PEOPLE.teamManager.id } })).toBe(rows - 1);
    expect(await overdue(session)).toBe(401);
  });

  it('a sign-out without its CSRF token (posted by another site) ends nothing', async () => {
    const session = await signInThroughDemoForm(app, PEOPLE.teamManager.id);
    const form = await signOutForm(session);
    for (const payload of ['', 'csrf=forged']) {
      const res = await app.inject({
        method: 'POST',
        url: '/sign-out',
        payload,
        headers: { ...FORM, cookie: form.cookie },
      });
      expect([res.statusCode, res.headers.location]).toEqual([303, '/']);
    }
    expect(await overdue(session)).toBe(200);
  });

  it("revoking a person's sessions signs out every browser of theirs at once, and nobody else", async () => {
    const laptop = await signInThroughDemoForm(app, PEOPLE.teamManager.id);
    const phone = await signInThroughDemoForm(app, PEOPLE.teamManager.id);
    const colleague = await signInThroughDemoForm(app, 'p-an');
    expect([await overdue(laptop), await overdue(phone), await overdue(colleague)]).toEqual([200, 200, 200]);
    const before = await db.prisma.dashboardSession.count({ where: { personId: PEOPLE.teamManager.id } });
    expect(await revokeSessions(db.prisma, PEOPLE.teamManager.id)).toEqual({ ended: before });
    expect([await overdue(laptop), await overdue(phone), await overdue(colleague)]).toEqual([401, 401, 200]);
  });

  it('an expired session is refused, and its row deleted', async () => {
    const session = await signInThroughDemoForm(app, 'p-an');
    const id = decodeURIComponent(session.cookie.split('=')[1]!).split('.')[0]!;
    await db.prisma.dashboardSession.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await overdue(session)).toBe(401);
    expect(await db.prisma.dashboardSession.findUnique({ where: { id } })).toBeNull();
  });
});

describe('production', () => {
  it('refuses the demo sign-in and a demo session', async () => {
    const config = loadConfig({
      COREWATCH_ENV: 'production',
      DATABASE_URL: 'postgresql://x@127.0.0.1:1/x',
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      SMTP_HOST: '127.0.0.1',
      SESSION_SECRET: 'a-production-secret-of-at-least-32-characters',
      PSEUDONYM_SECRET: 'a-production-pseudonym-secret-of-32-characters',
    });
    const prod = buildHttpApp({ prisma: db.prisma, config });
    await prod.ready();
    try {
      expect((await prod.inject({ method: 'GET', url: '/sign-in' })).statusCode).toBe(404);
      const res = await prod.inject({
        method: 'POST',
        url: '/sign-in/demo',
        payload: `csrf=abc&personId=${PEOPLE.teamManager.id}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'cw_csrf=abc' },
      });
      expect(res.statusCode).toBe(404);
      expect(res.headers['set-cookie']).toBeUndefined();
      // A demo session stored before production was configured (the same database) is refused too; a real one is not.
      const who = { personId: PEOPLE.teamManager.id, partnershipId: 'testshire', displayName: 'Tess' };
      const page = await prod.inject({
        method: 'GET',
        url: '/overdue',
        headers: await signedInCookie(db.prisma, config, { ...who, demo: true }),
      });
      expect(page.statusCode).toBe(401);
      expect(page.body).not.toContain('DASH-OVERDUE');
      expect(
        (await prod.inject({ method: 'GET', url: '/overdue', headers: await signedInCookie(db.prisma, config, who) }))
          .statusCode,
      ).toBe(200);
    } finally {
      await prod.close();
    }
  });
});
