/**
 * What the fault scenarios expect to be emailed, computed independently of the worker with the pure engine (the
 * workflow's own rules: evaluatePlan, planNotifications, dueNow), and the tally of what the SMTP server received
 * against it: sent (expected), received, distinct, duplicated, lost, unexpected.
 */
import {
  dueNow,
  planNotifications,
  type EscalationSettings,
  type NotificationIntent,
} from '../../../domain/notifications';
import { evaluatePlan } from '../../../domain/obligations';
import type { IdentifiedEvent, IsoDate, Policy } from '../../../domain/types';
import type { CaughtMail } from '../../support/smtp';

/** The worker's defaults (platform/env.ts), which the scenarios' workflows are started with. */
export const SETTINGS: EscalationSettings = {
  reminderWorkingDays: 2,
  secondLevelWorkingDays: 5,
  secondLevelRole: 'head-of-service',
};

/** What a plan's workflow sends on `asOf` that it has not sent (`sent`: intent keys), as the workflow computes it. */
export function dueIntents(
  policy: Policy,
  plan: { startedOn: IsoDate; events: readonly IdentifiedEvent[] },
  asOf: IsoDate,
  sent: ReadonlySet<string> = new Set(),
): NotificationIntent[] {
  const obligations = evaluatePlan(
    { policy, plan: { type: 'child-protection', startedOn: plan.startedOn }, events: [...plan.events] },
    asOf,
  );
  return dueNow(
    planNotifications(obligations, plan.events, SETTINGS, { policy, planType: 'child-protection' }),
    asOf,
    sent,
  );
}

export interface Tally {
  expected: number;
  received: number;
  distinct: number;
  duplicated: number;
  lost: number;
  unexpected: number;
  /** Keys received more than once. */
  duplicatedKeys: string[];
  lostKeys: string[];
  unexpectedKeys: string[];
}

/** Compares the outbox keys (`<plan>|<intent key>`) expected with the messages received whose key passes `mine`. */
export function tally(
  expected: ReadonlySet<string>,
  messages: readonly CaughtMail[],
  mine: (key: string) => boolean,
): Tally {
  const counts = new Map<string, number>();
  for (const m of messages) if (mine(m.corewatchKey)) counts.set(m.corewatchKey, (counts.get(m.corewatchKey) ?? 0) + 1);
  const duplicatedKeys = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
  const lostKeys = [...expected].filter((k) => !counts.has(k));
  const unexpectedKeys = [...counts.keys()].filter((k) => !expected.has(k));
  return {
    expected: expected.size,
    received: [...counts.values()].reduce((a, b) => a + b, 0),
    distinct: counts.size,
    duplicated: [...counts.values()].reduce((a, n) => a + Math.max(0, n - 1), 0),
    lost: lostKeys.length,
    unexpected: unexpectedKeys.length,
    duplicatedKeys,
    lostKeys,
    unexpectedKeys,
  };
}

/** The tally's counts, for report(). */
export function tallyFigures(t: Tally): Record<string, number> {
  return {
    sent: t.expected,
    received: t.received,
    duplicated: t.duplicated,
    lost: t.lost,
    unexpected: t.unexpected,
  };
}
