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
  });
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
