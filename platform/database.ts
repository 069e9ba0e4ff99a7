/**
 * The one way corewatch opens its database: the generated Prisma client (prisma/generated, `npx prisma generate`)
 * over a node-postgres pool through @prisma/adapter-pg (no native query engine), and `hotRead`, the same pool used
 * directly for the few reads every page makes.
 *
 * Statements are prepared and kept per connection, named by a hash of their SQL: the read paths run the same few
 * dozen statements thousands of times, and PostgreSQL then parses and plans each once per connection rather than on
 * every request (planning was a third of the database's time on the dashboard's pages). The names are bounded by the
 * code's distinct statements. A migration that changes a table a prepared statement reads needs the processes
 * restarted, as any deploy does.
 */
import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, types } from 'pg';
import { PrismaClient, type Prisma } from '../prisma/generated/client';

export type { PrismaClient };

/** The client inside `prisma.$transaction(async (tx) => ...)`: what a write that must be atomic is given. */
export type Transaction = Prisma.TransactionClient;

const statementName = (sql: string): string => `cw_${createHash('sha1').update(sql).digest('base64url')}`;

/** The pool under each client createPrisma made (hotRead uses it). */
const pools = new WeakMap<PrismaClient, Pool>();

const DATE_OID = 1082;

/**
 * `date` columns as Prisma reads them (a Date at UTC midnight of that day), never node-postgres's default of local
 * midnight, which would move every civil date by the server's offset from UTC.
 */
function typeParser(oid: number): (value: string) => unknown {
  if (oid === DATE_OID) return (value) => new Date(`${value}T00:00:00.000Z`);
  // Results come in text format (node-postgres asks for no other).
  // pg-types declares its parsers as `any`; each takes the text of a value and returns the value.
  const parser = types.getTypeParser(oid, 'text') as (value: string) => unknown;
  return parser;
}

/** A client for the database at `databaseUrl` (e.g. `loadConfig().DATABASE_URL`). Call `$disconnect()` when done. */
export function createPrisma(databaseUrl: string): PrismaClient {
  const pool = new Pool({
    connectionString: databaseUrl,
    types: { getTypeParser: typeParser } as unknown as typeof types,
    // While PostgreSQL is down a request waits this long for a connection, then fails (and is answered 503, see
    // isDatabaseUnavailable) rather than queueing until the client gives up.
    connectionTimeoutMillis: 5_000,
  });
  // An idle connection that PostgreSQL drops (a restart) emits 'error' on the pool; unheard, Node would end the
  // process. The pool discards the connection and opens a new one when next needed: nothing else to do.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, {
      statementNameGenerator: (query) => statementName(query.sql),
      disposeExternalPool: true,
    }),
  });
  pools.set(prisma, pool);
  return prisma;
}

/**
 * A read on a hot path (the session, a person's rights, the lists, a plan's page), run by node-postgres itself:
 * Prisma's raw queries cost about five times the client CPU here (0.76 ms against 0.14 ms a query, measured on
 * this machine), and these run several times on every page. Same pool, same prepared statements; a client not made
 * by createPrisma (none in the code) falls back to Prisma. Rows come back as PostgreSQL names them.
 */
export async function hotRead<Rows extends unknown[]>(db: PrismaClient, query: Prisma.Sql): Promise<Rows> {
  const pool = pools.get(db);
  if (!pool) return db.$queryRaw<Rows>(query);
  const result = await pool.query({ name: statementName(query.text), text: query.text, values: query.values });
  return result.rows as Rows;
}

/** A pooled connection held by withConnection: each statement runs on it at once and commits on its own. */
export interface HeldConnection {
  query<Rows extends unknown[]>(query: Prisma.Sql): Promise<Rows>;
}

/**
 * Runs `work` with one pooled connection held throughout, outside any transaction: for a statement that must run
 * the moment something else finishes (the outbox records a sent email as soon as SMTP has accepted it), without
 * queueing for a connection then. Hold it briefly: the pool is shared. A connection that failed is discarded.
 */
export async function withConnection<T>(
  db: PrismaClient,
  work: (connection: HeldConnection) => Promise<T>,
): Promise<T> {
  const pool = pools.get(db);
  if (!pool) return work({ query: (query) => db.$queryRaw(query) });
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    return await work({
      query: async <Rows extends unknown[]>(query: Prisma.Sql) => {
        try {
          const result = await client.query({
            name: statementName(query.text),
            text: query.text,
            values: query.values,
          });
          return result.rows as Rows;
        } catch (error) {
          failed = error instanceof Error ? error : new Error(String(error));
          throw error;
        }
      },
    });
  } finally {
    client.release(failed);
  }
}

/** Prisma's codes for "the database could not be reached or did not answer". */
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** The driver adapter's kinds for the same (@prisma/adapter-pg convertDriverError). */
const UNREACHABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
/** Socket errors of node-postgres (hotRead) and the network. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH']);
/**
 * node-postgres's own words for a connection that ended or never came (it gives them no code), and PostgreSQL's while
 * it shuts down or starts up.
 */
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Can't reach database server|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command/i;

/**
 * Whether `error` says PostgreSQL is unreachable for now (down, restarting, refusing connections, out of
 * connections), as opposed to a query it refused. The HTTP layer answers these with 503 and Retry-After
 * (http/errors.ts): the request changed nothing and may be repeated. Looks through Prisma's errors (codes, the
 * driver adapter's error kinds), node-postgres's (socket codes, SQLSTATE classes 08 connection exception and 57P
 * operator intervention), and their causes.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 5) return false;
  const e = error as {
    code?: unknown;
    errorCode?: unknown;
    message?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown } } };
    cause?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : typeof e.errorCode === 'string' ? e.errorCode : '';
  if (UNREACHABLE_PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || isUnavailableSqlState(code)) return true;
  const cause = e.meta?.driverAdapterError?.cause;
  if (typeof cause?.kind === 'string' && UNREACHABLE_ADAPTER_KINDS.has(cause.kind)) return true;
  if (cause?.kind === 'postgres' && typeof cause.code === 'string' && isUnavailableSqlState(cause.code)) return true;
  if (typeof e.message === 'string' && UNREACHABLE_MESSAGES.test(e.message)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

function isUnavailableSqlState(code: string): boolean {
  return /^(08[0-9A-Z]{3}|57P0[1-3]|53300)$/.test(code);
}
