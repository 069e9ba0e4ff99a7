/**
 * While PostgreSQL is unreachable, requests are answered 503 with Retry-After (JSON from the API, a page from the
 * dashboard), never a 500: the client is told to repeat the request, which is safe since writes are idempotent.
 * The unreachable database is real: a PostgreSQL URL on a loopback port where nothing listens (the fault suite,
 * test/faults/postgres-restart.test.ts, stops and restarts a real PostgreSQL under a running server).
 */
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../http/app';
import { createPrisma, isDatabaseUnavailable, type PrismaClient } from '../../platform/database';
import { loadConfig } from '../../platform/env';
import { SESSION_COOKIE, sessionSigner } from '../../http/dashboard/session';
import { createTestDatabase, databaseUrl, type TestDatabase } from '../support/database';
import { freePort } from '../support/dev-server';

const config = loadConfig({ COREWATCH_ENV: 'test' });

let down: PrismaClient;
let app: FastifyInstance;
let db: TestDatabase;

beforeAll(async () => {
  const url = new URL(databaseUrl('corewatch'));
  url.port = String(await freePort());
  down = createPrisma(url.toString());
  app = buildHttpApp({ prisma: down, config });
  await app.ready();
  db = await createTestDatabase('database_unavailable');
});

afterAll(async () => {
  await app?.close();
  await down?.$disconnect();
  await db?.drop();
});

describe('HTTP while the database is unreachable', () => {
  it('answers an API write 503 with Retry-After and a JSON body, not 500', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/plans/CAM-1/events',
      headers: { authorization: 'Bearer some-token' },
      payload: { id: 'ev-1', type: 'child-seen', on: '2026-01-05' },
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toEqual({ error: 'unavailable', message: expect.stringMatching(/repeat the request/) });
  });

  it('answers an API read the same way', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/plans', headers: { authorization: 'Bearer t' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
  });

  it('answers a dashboard page 503 with Retry-After and a page saying to try again', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/overdue',
      // A signed session cookie: the session store has to read PostgreSQL to know whose it is.
      headers: { cookie: `${SESSION_COOKIE}=${encodeURIComponent(sessionSigner(config).sign('a-session-id'))}` },
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('cannot reach its database');
  });
});

describe('isDatabaseUnavailable', () => {
  it('recognises what Prisma and node-postgres throw when the server is unreachable', async () => {
    const errors = await Promise.all([
      down.partnership.count().catch((e: unknown) => e),
      down.$queryRaw`SELECT 1`.catch((e: unknown) => e),
      down.$transaction(async (tx) => tx.partnership.count()).catch((e: unknown) => e),
    ]);
    for (const error of errors) expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('does not mistake a query the database refused for an outage (that stays a 500)', async () => {
    const refused = await db.prisma.$queryRaw`SELECT * FROM "NoSuchTable"`.catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(refused)).toBe(false);
    const conflict = await db.prisma.partnership
      .createMany({
        data: [
          { id: 'x', name: 'X', policyId: 'england' },
          { id: 'x', name: 'X', policyId: 'england' },
        ],
      })
      .catch((e: unknown) => e);
    expect(isDatabaseUnavailable(conflict)).toBe(false);
  });
});
