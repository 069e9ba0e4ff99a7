/**
 * The one way corewatch opens a Prisma client: the generated client (prisma/generated, `npx prisma generate`) over
 * node-postgres through @prisma/adapter-pg, so no native query engine is involved.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from '../prisma/generated/client';

export type { PrismaClient };

/** The client inside `prisma.$transaction(async (tx) => ...)`: what a write that must be atomic is given. */
export type Transaction = Prisma.TransactionClient;

/** A client for the database at `databaseUrl` (e.g. `loadConfig().DATABASE_URL`). Call `$disconnect()` when done. */
export function createPrisma(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}
