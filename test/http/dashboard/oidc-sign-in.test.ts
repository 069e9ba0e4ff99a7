/**
 * OpenID Connect sign-in, end to end: a real OpenID provider (panva's oidc-provider, started locally in its own
 * process), the dashboard listening on a loopback port over its own PostgreSQL database, and a real headless
 * Chromium clicking through: the dashboard's sign-in page, the provider's login form, the code coming back, the ID
 * token verified by openid-client, the person found by verified email and bound to the provider's subject.
 */
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildHttpApp } from '../../../http/app';
import { loadConfig, type Config } from '../../../platform/env';
import { createPlan } from '../../../services/plan-data';
import { checkPage, launchBrowser, newPage } from '../../support/browser';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { newPlan, PEOPLE, seedPartnership } from '../../support/fixtures';
import { signInAtProvider, startOidcProvider, type OidcProvider } from '../../support/oidc-provider';

const TODAY = '2026-06-15';
const CLIENT = { client_id: 'corewatch-test', client_secret: 'corewatch-test-client-secret' };

let db: TestDatabase;
let provider: OidcProvider;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let config: Config;

/** A free loopback port: the app's redirect URI must be known to the provider before either starts. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  db = await createTestDatabase('oidc');
  await seedPartnership(db.prisma);
  await db.prisma.teamMember.create({
    data: { teamId: 'team-a', personId: PEOPLE.teamManager.id, role: 'team-manager' },
  });
  await createPlan(db.prisma, newPlan('OIDC-OVERDUE', '2026-04-01'), TODAY);
  // Two people sharing an email across partnerships: ambiguous, so refused.
  await db.prisma.partnership.create({ data: { id: 'otherville', name: 'Otherville', policyId: 'england' } });
  await db.prisma.person.create({
    data: { id: 'p-twin-1', partnershipId: 'testshire', name: 'Twin One', email: 'twin@council.test' },
  });
  await db.prisma.person.create({
    data: { id: 'p-twin-2', partnershipId: 'otherville', name: 'Twin Two', email: 'twin@council.test' },
  });

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider({
    clients: [{ ...CLIENT, redirect_uris: [`${base}/auth/callback`] }],
    accounts: {
      tess: { sub: 'entra-oid-tess', email: 'Tess.Manager@council.test', email_verified: true, name: 'Tess Manager' },
      unverified: {
        sub: 'entra-oid-unverified',
        email: PEOPLE.chair.email,
        email_verified: false,
        name: 'Chris Chair',
      },
      stranger: {
        sub: 'entra-oid-stranger',
        email: 'stranger@elsewhere.test',
        email_verified: true,
        name: 'A Stranger',
      },
      twin: { sub: 'entra-oid-twin', email: 'twin@council.test', email_verified: true, name: 'Twin' },
      impostor: {
        sub: 'entra-oid-impostor',
        email: 'tess.manager@council.test',
        email_verified: true,
        name: 'Not Tess',
      },
    },
  });
  config = loadConfig({
    COREWATCH_ENV: 'test',
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: CLIENT.client_id,
    OIDC_CLIENT_SECRET: CLIENT.client_secret,
    PUBLIC_BASE_URL: base,
    SIGN_IN_RATE_LIMIT: '50',
  });
  app = buildHttpApp({ prisma: db.prisma, config, today: () => TODAY });
  await app.listen({ host: '127.0.0.1', port });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await provider?.stop();
  await db?.drop();
});

/** From a page that needs sign-in, through the provider's login form as `login`, to wherever the dashboard sends us. */
async function signInWithProvider(login: string, path = '/overdue', screenshot?: string): Promise<Page> {
  const page = await newPage(browser);
  const first = await page.goto(`${base}${path}`);
  expect(first?.status()).toBe(401);
  if (screenshot) await checkPage(page, screenshot);
  await page.getByRole('button', { name: 'Sign in with your council account' }).click();
  await page.waitForURL((url) => url.origin === provider.issuer);
  await signInAtProvider(page, login);
  return page;
}

it('signs a registered person in through the provider and returns to the page they asked for', async () => {
  const page = await signInWithProvider('tess', '/overdue', 'sign-in-oidc');
  expect(page.url()).toBe(`${base}/overdue`);
  await expect(page.locator('h1').textContent()).resolves.toBe('Overdue now');
  await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain(
    'Tess Manager, team manager (testshire)',
  );
  await expect(page.getByRole('link', { name: 'OIDC-OVERDUE' }).count()).resolves.toBe(1);
  // Not a demo session: no demo banner.
  expect(await page.getByTestId('demo-banner').count()).toBe(0);
  // Bound to the provider's subject at this first sign-in (email matched case-insensitively).
  expect(await db.prisma.person.findUniqueOrThrow({ where: { id: PEOPLE.teamManager.id } })).toMatchObject({
    oidcIssuer: provider.issuer,
    oidcSubject: 'entra-oid-tess',
  });
  const session = (await page.context().cookies()).find((c) => c.name === 'cw_session');
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  // A stored session, not a demo one, naming the person the provider vouched for.
  const id = decodeURIComponent(session!.value).split('.')[0]!;
  expect(await db.prisma.dashboardSession.findUniqueOrThrow({ where: { id } })).toMatchObject({
    personId: PEOPLE.teamManager.id,
    data: { demo: false },
  });
  // The in-progress sign-in cookie is used once and cleared.
  expect((await page.context().cookies()).find((c) => c.name === 'cw_oidc')).toBeUndefined();
  await checkPage(page, 'oidc-signed-in');
  await page.context().close();
});

it('refuses, once bound, another subject presenting the same email', async () => {
  const page = await signInWithProvider('impostor');
  await expect(page.locator('h1').textContent()).resolves.toBe('Sign-in failed');
  await expect(page.locator('main').textContent()).resolves.toContain('bound to another sign-in');
  expect((await page.context().cookies()).find((c) => c.name === 'cw_session')).toBeUndefined();
  await checkPage(page, 'oidc-sign-in-failed');
  await page.context().close();
});

it.each([
  ['unverified', 'did not vouch for an email address'],
  ['stranger', 'no corewatch account has this email address'],
  ['twin', 'more than one partnership'],
])('refuses %s with a 401 saying why, and starts no session', async (login, reason) => {
  const page = await newPage(browser);
  await page.goto(`${base}/sign-in`);
  const responses: number[] = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname === '/auth/callback') responses.push(r.status());
  });
  await page.getByRole('button', { name: 'Sign in with your council account' }).click();
  await page.waitForURL((url) => url.origin === provider.issuer);
  await signInAtProvider(page, login);
  expect(responses).toEqual([401]);
  await expect(page.locator('main').textContent()).resolves.toContain(reason);
  expect((await page.context().cookies()).find((c) => c.name === 'cw_session')).toBeUndefined();
  await page.context().close();
});

it('refuses an unknown login at the provider (access denied comes back)', async () => {
  const page = await signInWithProvider('mallory');
  await expect(page.locator('h1').textContent()).resolves.toBe('Sign-in failed');
  expect((await page.context().cookies()).find((c) => c.name === 'cw_session')).toBeUndefined();
  await page.context().close();
});

it('refuses a callback without the sign-in this browser started (forged or replayed state)', async () => {
  const res = await app.inject({ method: 'GET', url: '/auth/callback?code=stolen&state=guessed' });
  expect(res.statusCode).toBe(401);
  expect(res.headers['set-cookie']).not.toEqual(expect.arrayContaining([expect.stringMatching(/^cw_session=[^;]+\./)]));
});

it('refuses a sign-in state cookie altered by its holder (its signature no longer matches)', async () => {
  const res = await app.inject({ method: 'GET', url: '/auth/login' });
  const signed = decodeURIComponent(String(res.headers['set-cookie']).match(/cw_oidc=([^;]+)/)![1]!);
  const [payload, signature] = signed.split('.');
  const altered = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')), state: 'guessed' }),
  ).toString('base64url');
  const callback = await app.inject({
    method: 'GET',
    url: '/auth/callback?code=stolen&state=guessed',
    headers: { cookie: `cw_oidc=${encodeURIComponent(`${altered}.${signature}`)}` },
  });
  expect(callback.statusCode).toBe(401);
  expect(callback.body).toContain('took too long or was started elsewhere');
});

it('does not let a sign-in return to another site', async () => {
  const res = await app.inject({ method: 'GET', url: '/auth/login?returnTo=//evil.example/' });
  expect(res.statusCode).toBe(303);
  expect(res.headers.location).toMatch(new RegExp(`^${provider.issuer}/`));
  const sealed = String(res.headers['set-cookie']).match(/cw_oidc=([^;]+)/)?.[1];
  const payload = JSON.parse(Buffer.from(decodeURIComponent(sealed!).split('.')[0]!, 'base64url').toString('utf8'));
  expect(payload.returnTo).toBe('/');
  // PKCE S256, state and nonce on the authorization request.
  const authorize = new URL(res.headers.location!);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('state')).toBe(payload.state);
  expect(authorize.searchParams.get('nonce')).toBe(payload.nonce);
});

it('rate-limits sign-in attempts per client address', async () => {
  const limited = buildHttpApp({ prisma: db.prisma, config: { ...config, SIGN_IN_RATE_LIMIT: 3 } });
  await limited.ready();
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await limited.inject({ method: 'GET', url: '/auth/callback?code=x&state=y' })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const demo = () =>
      limited.inject({
        method: 'POST',
        url: '/sign-in/demo',
        payload: 'csrf=a',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    for (let i = 0; i < 3; i += 1) expect((await demo()).statusCode).toBe(403);
    const res = await demo();
    expect(res.statusCode).toBe(429);
    expect(res.body).toContain('Too many sign-in attempts');
    // Pages other than sign-in are not limited.
    expect((await limited.inject({ method: 'GET', url: '/sign-in' })).statusCode).toBe(200);
  } finally {
    await limited.close();
  }
});
