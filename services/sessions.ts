/**
 * Signed-in dashboard sessions, kept in PostgreSQL (DashboardSession) so the server can end one: sign-out deletes its
 * row, `corewatch sessions revoke` deletes all of a person's. `DashboardSessionStore` is the store @fastify/session
 * reads and writes (http/dashboard/plugins.ts); the browser's cookie carries only the signed session id.
 *
 * A session lasts SESSION_MS from sign-in, however busy: the row's `expiresAt` is set when it is created and never
 * moved, and a row past it is never read (it is deleted when found, and whenever someone signs in).
 */
import type { PrismaClient } from '../platform/database';
import { sessionWithStanding, type PersonStanding } from './plan-data';

/** Who a session is. It names the person, never their rights (read per request: http/dashboard/access.ts). */
export interface Identity {
  /** The Person signed in. */
  personId: string;
  /** Every page confines its reads to this partnership. */
  partnershipId: string;
  displayName: string;
  /** True for the built-in demo sign-in: every page then says so, and production refuses the session. */
  demo: boolean;
}

export const SESSION_MS = 8 * 3_600_000;

/** A session as @fastify/session hands it to its store and takes it back. */
export interface StoredSession {
  cookie: { expires?: Date | null; originalMaxAge: number | null };
  /** Absent until sign-in fills it: a session that names nobody is not stored. */
  identity?: Identity;
  /**
   * The person's standing as read with the session for this request (null: no longer an active person). Never
   * stored, never carried to another request: the rights are read afresh every time.
   */
  standing?: PersonStanding | null;
}

type Callback = (error?: unknown) => void;

export class DashboardSessionStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // @fastify/session's store interface (callbacks), over the promise methods below.
  get(sessionId: string, callback: (error: unknown, session?: StoredSession | null) => void): void {
    this.read(sessionId).then((session) => callback(null, session), callback);
  }

  set(sessionId: string, session: StoredSession, callback: Callback): void {
    this.write(sessionId, session).then(() => callback(), callback);
  }

  destroy(sessionId: string, callback: Callback): void {
    this.remove(sessionId).then(() => callback(), callback);
  }

  /** The live session, or null when there is none or it has expired (an expired row is deleted). */
  async read(sessionId: string): Promise<StoredSession | null> {
    // With the person's standing, in one round trip: every page a signed-in person opens needs both.
    const row = await sessionWithStanding(this.prisma, sessionId);
    if (!row) return null;
    if (row.expiresAt <= this.now()) {
      await this.remove(sessionId);
      return null;
    }
    const data = row.data as { displayName?: unknown; demo?: unknown };
    return {
      cookie: { expires: row.expiresAt, originalMaxAge: null },
      identity: {
        personId: row.personId,
        partnershipId: row.partnershipId,
        displayName: typeof data.displayName === 'string' ? data.displayName : '',
        demo: data.demo === true,
      },
      standing: row.standing,
    };
  }

  /**
   * Stores a session that names a person. The first write fixes its expiry (the cookie's, else SESSION_MS from now);
   * later writes change only what it holds. A session naming nobody (the fresh one `regenerate()` writes before
   * sign-in fills it) is not stored: the table holds signed-in sessions only.
   */
  async write(sessionId: string, session: StoredSession): Promise<void> {
    const { identity } = session;
    if (!identity) return;
    const now = this.now();
    const expiresAt = session.cookie.expires ?? new Date(now.getTime() + SESSION_MS);
    const data = { displayName: identity.displayName, demo: identity.demo };
    await this.prisma.dashboardSession.upsert({
      where: { id: sessionId },
      create: { id: sessionId, personId: identity.personId, partnershipId: identity.partnershipId, data, expiresAt },
      update: { data },
    });
    // Sessions nobody came back to are cleared here, on the next sign-in, rather than by a timer.
    await this.prisma.dashboardSession.deleteMany({ where: { expiresAt: { lte: now } } });
  }

  async remove(sessionId: string): Promise<void> {
    await this.prisma.dashboardSession.deleteMany({ where: { id: sessionId } });
  }

  /** Ends every session of the person at once; resolves to how many there were. */
  async destroyAllFor(personId: string): Promise<number> {
    return (await this.prisma.dashboardSession.deleteMany({ where: { personId } })).count;
  }
}

/**
 * Ends all of a person's dashboard sessions (an administrator's revocation: `corewatch sessions revoke`); their next
 * request is signed out. 'unknown' when there is no such person.
 */
export async function revokeSessions(prisma: PrismaClient, personId: string): Promise<{ ended: number } | 'unknown'> {
  const person = await prisma.person.findUnique({ where: { id: personId }, select: { id: true } });
  if (!person) return 'unknown';
  return { ended: await new DashboardSessionStore(prisma).destroyAllFor(personId) };
}
