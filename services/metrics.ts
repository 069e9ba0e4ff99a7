/**
 * What GET /metrics reports (http/metrics.ts writes it in Prometheus's text format): the outbox's notifications by
 * status, those that cannot be delivered, SMTP failures, the event relay's backlog, and this process's relay errors.
 * Counts only, never a plan, a person or a child. Every query is answered from an index alone or an index range over
 * rows still pending (Notification (status, undeliverable), NotificationAttempt (outcome, smtpResponse),
 * EventDelivery (deliveredAt, createdAt)): no plan is read, so a scrape costs the same whatever the caseload.
 */
import type { PrismaClient } from '../platform/database';
import { deliveryBacklog, type DeliveryBacklog } from './plan-data';
import type { RelayStats } from './relay-health';

/** Every status the outbox uses (activities/outbox.ts), reported even when none has it, so a series never vanishes. */
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed', 'withdrawn'] as const;

export interface MetricsSnapshot {
  notifications: Record<string, number>;
  undeliverable: number;
  smtpFailures: number;
  deliveries: DeliveryBacklog;
  relay: RelayStats | undefined;
}

export async function collectMetrics(prisma: PrismaClient, relay?: () => RelayStats): Promise<MetricsSnapshot> {
  const [byStatus, failures, deliveries] = await Promise.all([
    prisma.$queryRaw<Array<{ status: string; undeliverable: boolean; count: number }>>`
      SELECT status, undeliverable, count(*)::int AS count FROM "Notification" GROUP BY status, undeliverable`,
    // Failed or timed-out attempts that reached SMTP (an attempt with nobody to send to has no smtpResponse).
    prisma.$queryRaw<Array<{ count: number }>>`
      SELECT count(*)::int AS count FROM "NotificationAttempt"
      WHERE outcome IN ('failed', 'timed-out') AND "smtpResponse" IS NOT NULL`,
    deliveryBacklog(prisma),
  ]);
  const notifications: Record<string, number> = Object.fromEntries(NOTIFICATION_STATUSES.map((s) => [s, 0]));
  let undeliverable = 0;
  for (const row of byStatus) {
    notifications[row.status] = (notifications[row.status] ?? 0) + row.count;
    if (row.undeliverable) undeliverable += row.count;
  }
  return { notifications, undeliverable, smtpFailures: failures[0]?.count ?? 0, deliveries, relay: relay?.() };
}

/** The snapshot in Prometheus's text exposition format (version 0.0.4). */
export function prometheusText(m: MetricsSnapshot, now: number = Date.now()): string {
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: Array<[string, number]>) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  };
  metric(
    'corewatch_notifications',
    'gauge',
    'Outbox notifications by status (failed: the last attempt failed and it is retried, unless undeliverable).',
    Object.entries(m.notifications).map(([status, n]) => [`{status="${status}"}`, n]),
  );
  metric(
    'corewatch_notifications_undeliverable',
    'gauge',
    'Notifications that retrying cannot deliver to someone they are addressed to (no role holder, or an address refused).',
    [['', m.undeliverable]],
  );
  metric(
    'corewatch_smtp_failures_total',
    'counter',
    'Send attempts that failed or timed out at the SMTP server, by any worker.',
    [['', m.smtpFailures]],
  );
  metric('corewatch_event_deliveries_pending', 'gauge', 'Accepted events not yet delivered to their plan workflows.', [
    ['', m.deliveries.pending],
  ]);
  metric('corewatch_event_deliveries_failing', 'gauge', 'Pending event deliveries whose last attempt failed.', [
    ['', m.deliveries.failing],
  ]);
  metric(
    'corewatch_event_delivery_oldest_pending_seconds',
    'gauge',
    'Age of the oldest accepted event not yet delivered (0 when none is pending).',
    [['', m.deliveries.oldestPendingAt ? Math.max(0, (now - m.deliveries.oldestPendingAt.getTime()) / 1000) : 0]],
  );
  if (m.relay) {
    metric('corewatch_relay_errors_total', 'counter', "Failures of this process's event relay since it started.", [
      ['', m.relay.errors],
    ]);
    metric('corewatch_relay_delivered_total', 'counter', "Events this process's relay delivered since it started.", [
      ['', m.relay.delivered],
    ]);
    metric('corewatch_relay_failing', 'gauge', "1 while this process's event relay is failing.", [
      ['', m.relay.failing ? 1 : 0],
    ]);
  }
  return `${lines.join('\n')}\n`;
}
