/** What the HTTP app (API and dashboard) is built from: given by the listening shell, or by a test. */
import type { PrismaClient } from '../platform/database';
import type { Config } from '../platform/env';
import type { RelayStats } from '../services/relay-health';

export interface HttpDeps {
  prisma: PrismaClient;
  config: Config;
  /** Best-effort immediate delivery of just-recorded events; the relay loop delivers whatever this misses. */
  relay?: (eventIds: string[]) => Promise<void>;
  /** Best-effort start of a just-stored plan's workflow; the first relayed event starts it otherwise. */
  startPlan?: (planId: string) => Promise<void>;
  /** Today in Europe/London, for `overdue` and timelines (injected so tests can fix it). */
  today?: () => string;
  logger?: boolean;
  /** This process's event relay counters, for GET /metrics. */
  relayStats?: () => RelayStats;
}
