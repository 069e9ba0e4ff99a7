/**
 * The dashboard's session store over a real PostgreSQL database: what @fastify/session reads and writes, expiry, and
 * ending all of a person's sessions (`corewatch sessions revoke`). The pages' side (a revoked or signed-out cookie
 * gets 401) is test/http/dashboard/dashboard.test.ts.
 */
import { main } from '../../cli/main';
import {
  DashboardSessionStore,
  revokeSessions,
  SESSION_MS,
  type Identity,
  type StoredSession,
} from '../../services/sessions';
import { capturedIo, withDatabaseUrl } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { PEOPLE, seedPartnership } from '../support/fixtures';

let db: TestDatabase;
let store: DashboardSessionStore;
let now = new Date('2026-06-15T09:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase('sessions');
  await seedPartnership(db.prisma);
  store = new DashboardSessionStore(db.prisma, () => now);
});
afterAll(async () => db?.drop());

const tess: Identity = {
  personId: PEOPLE.teamManager.id,
  partnershipId: 'testshire',
  displayName: 'Tess Manager',
  demo: false,
};
const sam: Identity = {
  personId: PEOPLE.socialWorker.id,
  partnershipId: 'testshire',
  displayName: 'Sam Worker',
  demo: true,
};
const at = (iso: string) => new Date(iso);
const session = (identity: Identity | undefined, expires: Date | null): StoredSession => ({
  cookie: { originalMaxAge: SESSION_MS, expires },
  ...(identity ? { identity } : {}),
});

/** A callback's error, as an Error (what a rejected promise should carry). */
const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(JSON.stringify(error)));

/** @fastify/session's callback interface, as a promise. */
const get = (id: string) =>
  new Promise<StoredSession | null | undefined>((resolve, reject) =>
    store.get(id, (error, found) => (error ? reject(asError(error)) : resolve(found))),
  );
const set = (id: string, s: StoredSession) =>
  new Promise<void>((resolve, reject) => store.set(id, s, (error) => (error ? reject(asError(error)) : resolve())));
const destroy = (id: string) =>
  new Promise<void>((resolve, reject) => store.destroy(id, (error) => (error ? reject(asError(error)) : resolve())));

beforeEach(async () => {
  now = at('2026-06-15T09:00:00Z');
  await db.prisma.dashboardSession.deleteMany();
});

it('stores a signed-in session and gives it back, through the callbacks @fastify/session calls', async () => {
  await set('s-1', session(sam, at('2026-06-15T17:00:00Z')));
  expect(await get('s-1')).toEqual({
    cookie: { expires: at('2026-06-15T17:00:00Z'), originalMaxAge: null },
    identity: sam,
    // Read with the session, for this request's rights: Sam holds no role here yet (he is no plan's social worker).
    standing: { roles: [], managedTeamIds: [], caseload: false },
  });
  expect(await db.prisma.dashboardSession.findUniqueOrThrow({ where: { id: 's-1' } })).toMatchObject({
    personId: sam.personId,
    partnershipId: 'testshire',
    data: { displayName: 'Sam Worker', demo: true },
    expiresAt: at('2026-06-15T17:00:00Z'),
  });
  await destroy('s-1');
  expect(await get('s-1')).toBeNull();
  await destroy('s-1'); // destroying what is gone is no error (a second sign-out)
  expect(await get('never-stored')).toBeNull();
});

it('stores nothing for a session that names nobody (regenerate() writes one before sign-in fills it)', async () => {
  await set('anonymous', session(undefined, at('2026-06-15T17:00:00Z')));
  expect(await db.prisma.dashboardSession.count()).toBe(0);
});

it('keeps a session eight hours from its first write, however often it is written again', async () => {
  await set('s-2', session(tess, null));
  expect((await db.prisma.dashboardSession.findUniqueOrThrow({ where: { id: 's-2' } })).expiresAt).toEqual(
    at('2026-06-15T17:00:00Z'),
  );
  now = at('2026-06-15T16:00:00Z');
  await set('s-2', session({ ...tess, displayName: 'Tess M.' }, at('2026-06-16T00:00:00Z')));
  expect(await get('s-2')).toMatchObject({
    identity: { displayName: 'Tess M.' },
    cookie: { expires: at('2026-06-15T17:00:00Z') },
  });
  now = at('2026-06-15T17:00:00Z');
  expect(await get('s-2')).toBeNull();
  expect(await db.prisma.dashboardSession.count()).toBe(0); // found expired, so deleted
});

it('clears away expired sessions nobody came back to whenever a session is written', async () => {
  await set('old', session(tess, at('2026-06-15T10:00:00Z')));
  now = at('2026-06-15T11:00:00Z');
  await set('new', session(sam, null));
  expect((await db.prisma.dashboardSession.findMany({ select: { id: true } })).map((r) => r.id)).toEqual(['new']);
});

it("ends every session of one person, and nobody else's", async () => {
  await set('tess-laptop', session(tess, null));
  await set('tess-phone', session(tess, null));
  await set('sam', session(sam, null));
  expect(await revokeSessions(db.prisma, tess.personId)).toEqual({ ended: 2 });
  expect([await get('tess-laptop'), await get('tess-phone')]).toEqual([null, null]);
  expect(await get('sam')).toMatchObject({ identity: sam });
  expect(await revokeSessions(db.prisma, tess.personId)).toEqual({ ended: 0 });
  expect(await revokeSessions(db.prisma, 'nobody')).toBe('unknown');
});

it('corewatch sessions revoke --person: prints how many ended; exit 2 for an unknown person or bad usage', async () => {
  await set('tess-1', session(tess, null));
  await set('tess-2', session(tess, null));
  const { io, out, err } = capturedIo();
  await withDatabaseUrl(db.url, async () => {
    expect(await main(['sessions', 'revoke', '--person', tess.personId], io)).toBe(0);
    expect(out.join('')).toBe(`ended 2 sessions of ${tess.personId}\n`);
    expect(await db.prisma.dashboardSession.count()).toBe(0);
    expect(await main(['sessions', 'revoke', '--person', 'nobody'], io)).toBe(2);
    expect(err.join('')).toContain("no person 'nobody'");
    expect(await main(['sessions', 'revoke'], io)).toBe(2);
    expect(err.join('')).toContain('usage: corewatch sessions revoke --person PERSON_ID');
  });
});
