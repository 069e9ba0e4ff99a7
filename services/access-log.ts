/**
 * The access log: who read a child's record or downloaded a workbook, what, and when. Written before the data is
 * returned, so there is no read without its row; append-only in the database (a trigger refuses UPDATE, DELETE and
 * TRUNCATE). The API (token actors) and the dashboard (person actors) both write through `recordAccess`; only
 * administrators read it, and their reads are logged too.
 */
import type { PrismaClient } from '../platform/database';

export type AccessAction = 'plan-read' | 'workbook-download' | 'annex-a-download' | 'access-log-read';

/**
 * Who read: an API token, a signed-in person, or someone at the command line with the database's credentials (the
 * operating system user is recorded in the route text: no person or token row stands for them).
 */
export type Actor =
  { kind: 'token'; tokenId: string } | { kind: 'person'; personId: string } | { kind: 'command-line' };

export interface AccessEntry {
  partnershipId: string;
  actor: Actor;
  action: AccessAction;
  /** The route pattern, e.g. 'GET /plans/:planId'. */
  route: string;
  planId?: string;
  reportId?: string;
}

export async function recordAccess(prisma: PrismaClient, entry: AccessEntry): Promise<void> {
  await prisma.accessLog.create({
    data: {
      partnershipId: entry.partnershipId,
      actorKind: entry.actor.kind,
      ...(entry.actor.kind === 'token'
        ? { tokenId: entry.actor.tokenId }
        : entry.actor.kind === 'person'
          ? { personId: entry.actor.personId }
          : {}),
      action: entry.action,
      route: entry.route,
      ...(entry.planId !== undefined ? { planId: entry.planId } : {}),
      ...(entry.reportId !== undefined ? { reportId: entry.reportId } : {}),
    },
  });
}

export interface AccessLogRow {
  id: string;
  at: Date;
  /** 'Tess Manager <tess@council.test>' or 'API token "importer"'. */
  who: string;
  action: AccessAction;
  route: string;
  planId: string | null;
  reportId: string | null;
}

export interface AccessLogPage {
  rows: AccessLogRow[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  next: string | null;
}

/** A partnership's log, newest first, a page at a time (keyset on (at, id), so paging is stable while rows arrive). */
export async function listAccess(
  prisma: PrismaClient,
  partnershipId: string,
  options: { limit: number; before?: string },
): Promise<AccessLogPage> {
  const cursor = options.before ? parseCursor(options.before) : undefined;
  const rows = await prisma.accessLog.findMany({
    where: {
      partnershipId,
      ...(cursor ? { OR: [{ at: { lt: cursor.at } }, { at: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: options.limit + 1,
    include: { person: { select: { name: true, email: true } }, token: { select: { name: true } } },
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    rows: page.map((r) => ({
      id: r.id,
      at: r.at,
      who: r.person
        ? `${r.person.name} <${r.person.email}>`
        : r.token
          ? `API token "${r.token.name}"`
          : r.actorKind === 'command-line'
            ? 'the command line'
            : 'unknown',
      action: r.action as AccessAction,
      route: r.route,
      planId: r.planId,
      reportId: r.reportId,
    })),
    next: rows.length > options.limit && last ? `${last.at.getTime()}.${last.id}` : null,
  };
}

function parseCursor(value: string): { at: Date; id: string } | undefined {
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{1,100})$/.exec(value);
  return match ? { at: new Date(Number(match[1])), id: match[2]! } : undefined;
}
