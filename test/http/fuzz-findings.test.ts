/**
 * What the schema-driven fuzzer (`npm run test:fuzz`, test/fuzz/) found, each as a regression test that failed before
 * its fix: the API and the dashboard answering a method a path does not offer with something other than 405, a
 * dashboard list naming a field it does not have, and the API document saying less about a parameter than the server
 * checks. Through `app.inject` over a real PostgreSQL database of its own.
 */
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../http/app';
import { loadConfig } from '../../platform/env';
import { issueApiToken } from '../../services/api-tokens';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { PEOPLE, seedPartnership } from '../support/fixtures';
import { signedInCookie } from '../support/sessions';

let db: TestDatabase;
let app: FastifyInstance;
let token: string;
let cookie: string;

beforeAll(async () => {
  db = await createTestDatabase('fuzz_findings');
  await seedPartnership(db.prisma, 'camden');
  await db.prisma.teamMember.create({
    data: { teamId: 'team-a', personId: PEOPLE.teamManager.id, role: 'team-manager' },
  });
  token = (await issueApiToken(db.prisma, { name: 'all', partnershipId: 'testshire', scopes: ['plans:read'] })).token;
  cookie = (
    await signedInCookie(db.prisma, loadConfig(), { personId: PEOPLE.teamManager.id, partnershipId: 'testshire' })
  ).cookie;
  app = buildHttpApp({ prisma: db.prisma, config: loadConfig(), today: () => '2026-06-01' });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

type Method = 'GET' | 'QUERY' | 'PATCH' | 'PUT' | 'DELETE' | 'TRACE';
const send = (method: Method, url: string, extra: { headers?: Record<string, string>; payload?: string } = {}) =>
  app.inject({
    method: method as 'GET',
    url,
    headers: extra.headers ?? {},
    ...(extra.payload ? { payload: extra.payload } : {}),
  });

describe('a method a path does not offer is a 405 with Allow, before anything of the request is read', () => {
  it.each([
    // QUERY without a Content-Type was a 400 ("must provide a Content-Type") and malformed JSON a 400, as if the path
    // took the method; a body of another type must not be read either.
    ['QUERY', '/api/v1/plans', { headers: {} }],
    ['PATCH', '/api/v1/plans', { headers: { 'content-type': 'text/plain' }, payload: 'hello' }],
    ['PUT', '/api/v1/plans/X-1', { headers: { 'content-type': 'application/json' }, payload: '{"not json' }],
  ] as const)('the API: %s %s', async (method, url, extra) => {
    const res = await send(method, url, { ...extra, headers: { ...extra.headers, authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(405);
    expect(res.headers['allow']).toMatch(/GET/);
    expect(res.json()).toMatchObject({ error: 'method-not-allowed' });
  });

  it.each([
    // The dashboard's pages answered 404 (the app's JSON not-found) or, for QUERY, 400.
    ['TRACE', '/overdue', 'GET, HEAD'],
    ['DELETE', '/plans/P-1', 'GET, HEAD'],
    ['QUERY', '/reports/r-1/download', 'GET, HEAD'],
    ['GET', '/sign-out', 'POST'],
    ['PUT', '/assets/fonts/bold-b542beb274-v2.woff2', 'GET, HEAD'],
  ] as const)('the dashboard: %s %s is a page saying so', async (method, url, allow) => {
    const res = await send(method, url, { headers: { cookie } });
    expect(res.statusCode).toBe(405);
    expect(res.headers['allow']).toBe(allow);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });

  it('a path the app does not have is still a 404', async () => {
    expect((await send('DELETE', '/no-such-page')).statusCode).toBe(404);
    const api = await send('DELETE', '/api/v1/no-such-thing', { headers: { authorization: `Bearer ${token}` } });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: 'not-found' });
  });
});

describe('a refused page cursor names the parameter the request has', () => {
  it.each(['/overdue', '/escalations'])(
    '%s?after=(a cursor the list did not give out) names after, not the API parameter cursor',
    async (path) => {
      const forged = Buffer.from('["9999-99-99","x"]').toString('base64url');
      const res = await send('GET', `${path}?after=${forged}`, { headers: { cookie } });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('<p class="govuk-body">after: is not a cursor this list gave out.</p>');
    },
  );

  it('the API still names its own parameter, cursor', async () => {
    const forged = Buffer.from('["x","y"]').toString('base64url');
    const res = await send('GET', `/api/v1/plans?cursor=${forged}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'cursor' });
  });
});

describe('the API document says what the server checks', () => {
  it("the list's cursors declare their alphabet (base64url): other characters are malformed", async () => {
    const doc = (await send('GET', '/api/v1/openapi.json')).json();
    const parameters = doc.paths['/api/v1/plans'].get.parameters as Array<{
      name: string;
      schema: { pattern?: string };
    }>;
    for (const name of ['cursor', 'before'])
      expect(parameters.find((p) => p.name === name)?.schema.pattern).toBe('^[A-Za-z0-9_-]+$');
    const res = await send('GET', '/api/v1/plans?cursor=a%2Bb', { headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toEqual([{ path: 'cursor', message: 'is not a cursor this list gave out' }]);
  });
});
