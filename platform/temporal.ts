/** Client-side connections built from the configuration: shared by the CLI commands that talk to a running system. */
import { Client, Connection } from '@temporalio/client';
import type { Config } from './env';
import type { EscalationSettings } from '../domain/notifications';

export async function connectTemporalClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}

export function escalationSettings(config: Config): EscalationSettings {
  return {
    reminderWorkingDays: config.REMINDER_WORKING_DAYS,
    secondLevelWorkingDays: config.SECOND_LEVEL_WORKING_DAYS,
    secondLevelRole: config.SECOND_LEVEL_ROLE,
  };
}

/**
 * A client that connects on first use, so a long-running process (the HTTP API) starts and accepts durable writes
 * while Temporal is unavailable; the event relay retries delivery until it is back.
 */
export function lazyTemporalClient(config: Config): Client {
  return new Client({
    connection: Connection.lazy({ address: config.TEMPORAL_ADDRESS }),
    namespace: config.TEMPORAL_NAMESPACE,
  });
}
