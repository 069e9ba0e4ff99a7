/**
 * The listening shell around the HTTP app (http/app.ts: the API and the dashboard): reads the config once, opens PostgreSQL and Temporal, runs the event relay
 * loop (so every accepted event reaches its workflow, however long Temporal was away), and closes in order on
 * SIGTERM/SIGINT: stop accepting requests, stop the relay, then close the connections.
 */
import { loadConfig } from '../platform/env';
import { createPrisma } from '../platform/database';
import { escalationSettings, lazyTemporalClient } from '../platform/temporal';
import { relayPendingEvents, startEventRelay, type RelayDeps } from '../services/event-relay';
import { consoleRelayLog, RelayHealth, type RelayLog } from '../services/relay-health';
import { startPlanWorkflow } from '../services/plan-intake';
import { buildHttpApp } from './app';

export async function runServer(): Promise<void> {
  const config = loadConfig();
  const prisma = createPrisma(config.DATABASE_URL);
  // Lazy: the API starts (and stores events durably) even while Temporal is down.
  const temporal = lazyTemporalClient(config);
  // The app's logger exists only once the app is built: the relay reports through this indirection.
  let log: RelayLog = consoleRelayLog;
  const health = new RelayHealth({
    warn: (message, context) => log.warn(message, context),
    info: (message, context) => log.info(message, context),
  });
  const deps: RelayDeps = {
    prisma,
    temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    settings: escalationSettings(config),
    health,
  };
  const relayLoop = startEventRelay(deps);
  const app = buildHttpApp({
    prisma,
    config,
    logger: true,
    relay: async (ids) => {
      await relayPendingEvents(deps, ids.length, ids);
    },
    startPlan: (planId) => startPlanWorkflow(deps, planId),
    relayStats: () => health.stats(),
  });
  log = {
    warn: (message, context) => app.log.warn({ relay: context }, message),
    info: (message, context) => app.log.info({ relay: context }, message),
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      app.log.info('shutting down');
      await app.close();
      await relayLoop.stop();
      await temporal.connection.close();
      await prisma.$disconnect();
    })());
  const stopped = new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        close().then(resolve, (error: unknown) => {
          app.log.error({ err: error }, 'unclean shutdown');
          resolve();
        });
      });
    }
  });

  try {
    await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  } catch (error) {
    await close();
    throw error;
  }
  await stopped;
}
