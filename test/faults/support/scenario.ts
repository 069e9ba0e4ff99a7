/** What several fault scenarios share: the environment of corewatch's processes, plans in bulk, a signed-in manager. */
import path from 'node:path';
import type { PrismaClient } from '../../../platform/database';
import { loadConfig } from '../../../platform/env';
import { PEOPLE } from '../../support/fixtures';
import { signedInCookie } from '../../support/sessions';
import { FAULTS_DIR } from './processes';

/** The variables a deployment sets for the worker and the server, pointed at the scenario's parts. */
export function corewatchEnv(parts: {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  smtpPort: number;
  httpPort?: number;
  metricsToken?: string;
  workflowBundle?: string;
}): Record<string, string> {
  return {
    DATABASE_URL: parts.databaseUrl,
    TEMPORAL_ADDRESS: parts.temporalAddress,
    TEMPORAL_TASK_QUEUE: parts.taskQueue,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(parts.smtpPort),
    REPORTS_DIR: path.join(FAULTS_DIR, 'reports'),
    ...(parts.httpPort !== undefined ? { HTTP_HOST: '127.0.0.1', HTTP_PORT: String(parts.httpPort) } : {}),
    ...(parts.metricsToken !== undefined ? { METRICS_TOKEN: parts.metricsToken } : {}),
    ...(parts.workflowBundle !== undefined ? { TEMPORAL_WORKFLOW_BUNDLE: parts.workflowBundle } : {}),
  };
}

/** Runs `work` over `items`, `limit` at a time. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** A session cookie of the fixture's team manager (managing team-a), as the server's default secret signs it. */
export async function managerSession(prisma: PrismaClient): Promise<{ cookie: string }> {
  await prisma.teamMember.create({ data: { teamId: 'team-a', personId: PEOPLE.teamManager.id, role: 'team-manager' } });
  return signedInCookie(prisma, loadConfig({ COREWATCH_ENV: 'development' }), {
    personId: PEOPLE.teamManager.id,
    partnershipId: 'testshire',
  });
}

/** GET /metrics from a running server, as name -> value. */
export async function scrape(baseUrl: string, token: string): Promise<Map<string, number>> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return new Map(
    (await res.text())
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))] as const),
  );
}
