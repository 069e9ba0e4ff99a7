/**
 * The dashboard in a real headless Chromium (Debian's, driven by playwright-core) against the app listening on a
 * loopback port over a real PostgreSQL database of its own. Every page is checked by axe-core (zero violations) and
 * screenshotted into test-artifacts/screenshots/ (gitignored) for a human to look at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../api/app';
import { loadConfig } from '../../config/env';
import { registerDashboard } from '../../dashboard';
import { storePlan } from '../../services/plan-intake';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { CHILD_NAME, newPlan, seedPartnership } from '../support/fixtures';

const TODAY = '2026-06-15';
const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-artifacts', 'screenshots');
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core'), 'utf8');

let db: TestDatabase;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let tmp: string;

beforeAll(async () => {
  db = await createTestDatabase('dashboard');
  await seedPartnership(db.prisma);
  // Overdue: started 2026-04-01 and nothing since, so its first core group is long past due on TODAY.
  await storePlan(db.prisma, newPlan('DASH-OVERDUE', '2026-04-01'));
  // In time: started five days before TODAY.
  await storePlan(db.prisma, newPlan('DASH-FRESH', '2026-06-10'));
  await db.prisma.notification.create({
    data: {
      key: 'DASH-OVERDUE/first-core-group/escalation', planId: 'DASH-OVERDUE', obligationKey: 'first-core-group', level: 'escalation',
      recipients: [{ personId: 'p-tm', role: 'team-manager', email: 'tess.manager@council.test' }], subject: 'First core group overdue',
      status: 'sent', sentAt: new Date('2026-04-20T09:00:00Z'),
    },
  });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corewatch-dashboard-'));
  const file = path.join(tmp, 'audit.xlsx');
  fs.writeFileSync(file, 'not really a workbook');
  await db.prisma.monthlyReport.create({
    data: { id: 'rep-2026-05', partnershipId: 'testshire', month: '2026-05', status: 'complete', filePath: file, byteSize: 21, generatedAt: new Date('2026-06-01T06:00:00Z') },
  });

  const config = loadConfig({ COREWATCH_ENV: 'test', DEMO_PARTNERSHIP: 'testshire' });
  app = buildApp({ prisma: db.prisma, config, today: () => TODAY });
  registerDashboard(app, { prisma: db.prisma, config, today: () => TODAY });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.drop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The pages send a strict Content-Security-Policy; only the test's browser bypasses it, to inject axe-core. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1100, height: 900 } });
  return context.newPage();
}

async function checkPage(page: Page, name: string): Promise<void> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(() => (globalThis as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown }> }> }> } }).axe.run());
  const violations = result.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  if (violations.length > 0) console.error(`axe violations on ${name}:\n${JSON.stringify(violations, null, 2)}`);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  expect(violations).toEqual([]);
}

describe('signed out', () => {
  it('sends a page to /sign-in', async () => {
    const page = await newPage();
    await page.goto(`${base}/overdue`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await checkPage(page, 'sign-in');
    await page.context().close();
  });

  it('refuses a sign-in without the CSRF token of its cookie', async () => {
    const res = await app.inject({ method: 'POST', url: '/sign-in', payload: 'csrf=forged', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'cw_csrf=other' } });
    expect(res.statusCode).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a forged session cookie', async () => {
    const res = await app.inject({ method: 'GET', url: '/', headers: { cookie: 'cw_session=eyJzdWJqZWN0IjoieCJ9.forged' } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
  });
});

describe('signed in as the demo team manager', () => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByRole('button', { name: 'Sign in as the demo team manager (demo only)' }).click();
    await page.waitForURL(`${base}/`);
  });
  afterAll(async () => page?.context().close());

  it('sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const session = (await page.context().cookies()).find((c) => c.name === 'cw_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  });

  it('overview: the Summary per team and the 12-month trend, with the demo notice', async () => {
    await page.goto(`${base}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Testshire Safeguarding Partnership');
    await expect(page.getByText('Demo identity — not for real data').isVisible()).resolves.toBe(true);
    const captions = await page.locator('caption').allTextContents();
    expect(captions).toEqual(expect.arrayContaining([expect.stringContaining('whole partnership'), expect.stringContaining('Team: Assessment Team A')]));
    expect(await page.locator('svg[role="img"] title').textContent()).toContain('last 12 months');
    // In May 2026 only DASH-OVERDUE was open (DASH-FRESH started in June).
    expect(await page.locator('svg[role="img"] desc').textContent()).toContain('May 2026: 1');
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

  it('plan: the timeline with citations, and the read is logged', async () => {
    const before = await db.prisma.accessLog.count({ where: { planId: 'DASH-OVERDUE' } });
    await page.goto(`${base}/overdue`);
    await page.getByRole('link', { name: 'DASH-OVERDUE' }).click();
    await page.waitForURL(`${base}/plans/DASH-OVERDUE`);
    const citations = await page.locator('[data-testid="citation"]').allTextContents();
    expect(citations.some((c) => c.includes('first-core-group'))).toBe(true);
    expect(await page.getByText('overdue', { exact: true }).count()).toBeGreaterThan(0);
    expect(await page.content()).not.toContain(CHILD_NAME);
    expect(await db.prisma.accessLog.count({ where: { planId: 'DASH-OVERDUE' } })).toBe(before + 1);
    await checkPage(page, 'plan');
  });

  it('escalations: newest first', async () => {
    await page.goto(`${base}/escalations`);
    await expect(page.locator('tbody tr').first().textContent()).resolves.toContain('DASH-OVERDUE');
    await checkPage(page, 'escalations');
  });

  it('reports: a download link that serves the workbook', async () => {
    await page.goto(`${base}/reports`);
    const link = page.getByRole('link', { name: /Download May 2026 workbook/ });
    expect(await link.getAttribute('href')).toBe('/reports/rep-2026-05/download');
    const res = await page.request.get(`${base}/reports/rep-2026-05/download`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toContain('corewatch-testshire-2026-05.xlsx');
    await checkPage(page, 'reports');
  });

  it('another partnership is not reachable', async () => {
    const res = await page.request.get(`${base}/plans/NOPE-1`);
    expect(res.status()).toBe(404);
  });
});

describe('production', () => {
  it('refuses the demo sign-in and a demo session', async () => {
    const config = loadConfig({
      COREWATCH_ENV: 'production', DATABASE_URL: 'postgresql://x@127.0.0.1:1/x', TEMPORAL_ADDRESS: '127.0.0.1:1', SMTP_HOST: '127.0.0.1',
      SESSION_SECRET: 'a-production-secret-of-at-least-32-characters',
    });
    const prod = buildApp({ prisma: db.prisma, config });
    registerDashboard(prod, { prisma: db.prisma, config });
    await prod.ready();
    try {
      expect((await prod.inject({ method: 'GET', url: '/sign-in' })).statusCode).toBe(404);
      const res = await prod.inject({ method: 'POST', url: '/sign-in', payload: 'csrf=abc', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'cw_csrf=abc' } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect((await prod.inject({ method: 'GET', url: '/' })).headers.location).toBe('/sign-in');
    } finally {
      await prod.close();
    }
  });
});
