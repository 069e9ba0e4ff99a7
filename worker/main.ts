/** The worker process: configuration, connections, the schedules and the event relay, then run until SIGINT/SIGTERM. */
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../platform/env';
import { createPrisma } from '../platform/database';
import { createMailTransport } from '../platform/mail-transport';
import { escalationSettings } from '../platform/temporal';
import { startEventRelay } from '../services/event-relay';
import { consoleRelayLog, RelayHealth } from '../services/relay-health';
import { createPlanWorker } from './create-worker';
import { ensureSchedules } from './schedules';

export async function runWorker(): Promise<void> {
  const config = loadConfig();
  const prisma = createPrisma(config.DATABASE_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  // Delivers accepted events that could not reach their workflow when they arrived (Temporal briefly unavailable).
  const relay = startEventRelay({
    prisma,
    temporal: client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    settings: escalationSettings(config),
    health: new RelayHealth(consoleRelayLog),
  });
  try {
    await ensureSchedules(client, config.TEMPORAL_TASK_QUEUE);
    const worker = await createPlanWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      ...(config.TEMPORAL_WORKFLOW_BUNDLE !== undefined ? { workflowBundlePath: config.TEMPORAL_WORKFLOW_BUNDLE } : {}),
      deps: {
        prisma,
        mailer: createMailTransport(config),
        mailFrom: config.MAIL_FROM,
        publicBaseUrl: config.PUBLIC_BASE_URL,
        reportsDir: config.REPORTS_DIR,
      },
    });
    // worker.run() resolves after the SDK's own SIGINT/SIGTERM handling has drained in-flight tasks.
    await worker.run();
  } finally {
    await relay.stop();
    await connection.close();
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  runWorker().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
