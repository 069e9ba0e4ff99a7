/**
 * How far behind the event relay is, for GET /metrics: accepted events not yet delivered to their workflows, how many
 * of them have failed a delivery attempt, and the age of the oldest. An index range (EventDelivery's deliveredAt,
 * createdAt index) over the pending rows only: it never reads the delivered history.
 */
import { Prisma } from '../../prisma/generated/client';
import type { PrismaClient } from '../../platform/database';

export interface DeliveryBacklog {
  pending: number;
  /** Pending deliveries whose last attempt failed (Temporal unreachable, or the database while stamping). */
  failing: number;
  /** When the oldest pending event was accepted; null when none is pending. */
  oldestPendingAt: Date | null;
}

export async function deliveryBacklog(db: PrismaClient): Promise<DeliveryBacklog> {
  const [row] = await db.$queryRaw<Array<{ pending: number; failing: number; oldest: Date | null }>>(Prisma.sql`
    SELECT count(*)::int AS pending, (count(*) FILTER (WHERE "lastError" IS NOT NULL))::int AS failing,
           min("createdAt") AS oldest
    FROM "EventDelivery" WHERE "deliveredAt" IS NULL`);
  return { pending: row?.pending ?? 0, failing: row?.failing ?? 0, oldestPendingAt: row?.oldest ?? null };
}
