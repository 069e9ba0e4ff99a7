/**
 * Fault scenario 3: PostgreSQL is stopped and started again while clients post events through the API. Every event
 * answered 2xx is stored once; a request made while the database was down is answered 503 with Retry-After (never
 * 500, never a dropped connection), and the client that repeats it later gets it stored, once. The server process
 * survives the restart, its event relay says the outage in the log once (and when it recovered) rather than every
 * second, and every stored event is delivered to its plan's workflow afterwards.
 *
 * Real parts: a PostgreSQL cluster of this scenario's own (scripts/postgres.sh, stopped with a fast shutdown as a
 * restart does), the HTTP server as a child process (`corewatch serve`), the Temporal dev server for the relay.
 */
import { Connection } from '@temporalio/client';
import { londonDateAt } from '../../domain/calendar';
import { createPrisma, type PrismaClient } from '../../platform/database';
import { issueApiToken } from '../../services/api-tokens';
import { createPlan } from '../../services/plan-data';
import { freePort, startDevServer, type DevServer } from '../support/dev-server';
import { eventually } from '../support/eventually';
import { newPlan, seedPartnership } from '../support/fixtures';
import { OwnPostgres } from './support/postgres';
import { serverListening, sleep, startCorewatch, type RunningProcess } from './support/processes';
import { report } from './support/report';
import { corewatchEnv, inParallel } from './support/scenario';

const PLANS = 20;
const CLIENTS = 4;
const TASK_QUEUE = 'faults-postgres-restart';

let pg: OwnPostgres;
let prisma: PrismaClient;
let temporal: DevServer;
let server: RunningProcess | undefined;

beforeAll(async () => {
  pg = new OwnPostgres();
  // One after the other, so a part that fails to start leaves the others assigned for afterAll to stop.
  temporal = await startDevServer();
  await pg.start();
  await pg.freshDatabase();
  prisma = createPrisma(pg.url);
  await seedPartnership(prisma);
});

afterAll(async () => {
  await server?.kill('SIGKILL');
  await prisma?.$disconnect();
  temporal?.stop();
  await pg?.stop();
});

type Outcome = ({ status: number; retryAfter: string | null } | { status: 'connection-error'; error: string }) & {
  ms: number;
};

it('answers 503 with Retry-After while PostgreSQL is down, and stores every event answered 2xx exactly once', async () => {
  const today = londonDateAt(Date.now());
  const plans = Array.from({ length: PLANS }, (_, i) => `PG-${String(i + 1).padStart(3, '0')}`);
  await inParallel(plans, 4, (id) => createPlan(prisma, newPlan(id, today), today));
  const { token } = await issueApiToken(prisma, {
    name: 'case-system',
    partnershipId: 'testshire',
    scopes: ['events:write'],
  });

  const httpPort = await freePort();
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  server = startCorewatch(
    'postgres-restart-server',
    ['serve'],
    corewatchEnv({
      databaseUrl: pg.url,
      temporalAddress: temporal.address,
      taskQueue: TASK_QUEUE,
      smtpPort: 1,
      httpPort,
    }),
  );
  await serverListening(baseUrl);

  const outcomes = new Map<string, Outcome[]>();
  const post = async (id: string): Promise<Outcome> => {
    const planId = plans[Number(id.split('-')[1]) % PLANS]!;
    let outcome: Outcome;
    const began = Date.now();
    try {
      const res = await fetch(`${baseUrl}/api/v1/plans/${planId}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id, type: 'child-seen', on: today }),
      });
      await res.arrayBuffer();
      outcome = { status: res.status, retryAfter: res.headers.get('retry-after'), ms: Date.now() - began };
    } catch (error) {
      outcome = { status: 'connection-error', error: String(error), ms: Date.now() - began };
    }
    outcomes.set(id, [...(outcomes.get(id) ?? []), outcome]);
    return outcome;
  };

  // CLIENTS clients post new events back to back; an event answered 503 is kept to be repeated later.
  let posting = true;
  let serial = 0;
  const refused: string[] = [];
  const clients = Array.from({ length: CLIENTS }, async () => {
    while (posting) {
      const id = `ev-${++serial}`;
      const outcome = await post(id);
      if (outcome.status === 503) {
        refused.push(id);
        await sleep(100);
      }
    }
  });
  await sleep(5_000);
  await pg.stop();
  const downFor = 8_000;
  await sleep(downFor);
  const startingAt = Date.now();
  await pg.start();
  const upAt = Date.now();
  await sleep(5_000);
  posting = false;
  await Promise.all(clients);

  // The clients repeat what was refused, as Retry-After asks, until it is accepted.
  for (const id of refused) {
    await eventually(
      async () => {
        const outcome = await post(id);
        if (outcome.status !== 202) throw new Error(`${id}: ${JSON.stringify(outcome)}`);
      },
      60_000,
      1000,
    );
  }

  const all = [...outcomes.values()].flat();
  const count = (p: (o: Outcome) => boolean) => all.filter(p).length;
  const accepted = [...outcomes].filter(([, os]) => os.some((o) => o.status === 202)).map(([id]) => id);
  const stored = await prisma.planEvent.findMany({ where: { id: { startsWith: 'ev-' } }, select: { id: true } });
  const storedIds = new Set(stored.map((e) => e.id));
  // Delivered to the workflows once the relay has caught up (Temporal never went away here).
  await eventually(
    async () => {
      const pending = await prisma.eventDelivery.count({ where: { deliveredAt: null } });
      if (pending > 0) throw new Error(`${pending} deliveries pending`);
    },
    120_000,
    500,
  );
  const workflowEvents = await countSignalledEvents(plans);
  const serverAlive = (await fetch(`${baseUrl}/api/v1/openapi.json`)).status === 200;
  const log = server.output();
  await server.kill('SIGTERM');
  const relayLines = log.split('\n').filter((l) => /event relay/.test(l));

  report(
    `3. PostgreSQL stopped for ${downFor / 1000} s (restart took ${((upAt - startingAt) / 1000).toFixed(1)} s) while ${CLIENTS} clients posted events`,
    {
      'events posted': outcomes.size,
      'requests made': all.length,
      'answered 202': count((o) => o.status === 202),
      'answered 503 with Retry-After': count((o) => o.status === 503 && o.retryAfter !== null),
      'answered 503 without Retry-After': count((o) => o.status === 503 && o.retryAfter === null),
      'answered 500': count((o) => o.status === 500),
      'answered otherwise': count((o) => o.status !== 202 && o.status !== 503 && o.status !== 500),
      'stored (distinct ids)': storedIds.size,
      'accepted but not stored (lost)': accepted.filter((id) => !storedIds.has(id)).length,
      'stored but never accepted': [...storedIds].filter((id) => !accepted.includes(id)).length,
      'distinct events reaching their workflows': workflowEvents.distinct,
      'server process alive after the restart': serverAlive ? 'yes' : 'no',
      'relay log lines over the outage': relayLines.length,
      'slowest 503 (ms)': Math.max(0, ...all.filter((o) => o.status === 503).map((o) => o.ms)),
      'events signalled more than once (de-duplicated by the workflow)': workflowEvents.repeated,
    },
  );

  expect(count((o) => o.status === 503)).toBeGreaterThan(0);
  expect(count((o) => o.status === 503 && o.retryAfter !== '5')).toBe(0);
  expect(count((o) => o.status !== 202 && o.status !== 503)).toBe(0);
  expect(accepted.length).toBe(outcomes.size);
  expect(storedIds.size).toBe(outcomes.size);
  expect(accepted.filter((id) => !storedIds.has(id))).toEqual([]);
  expect(workflowEvents.distinct).toBe(outcomes.size);
  expect(serverAlive).toBe(true);
  expect(relayLines.some((l) => /event relay failing/.test(l))).toBe(true);
  expect(relayLines.some((l) => /event relay recovered/.test(l))).toBe(true);
  // Not a line per retry: the relay looks every second.
  expect(relayLines.length).toBeLessThan(10);

  /** The event ids the plans' workflows were signalled with (histories read from the server). */
  async function countSignalledEvents(ids: readonly string[]): Promise<{ distinct: number; repeated: number }> {
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const seen: string[] = [];
      for (const id of ids) {
        const history = await connection.workflowService.getWorkflowExecutionHistory({
          namespace: 'default',
          execution: { workflowId: `plan-${id}` },
        });
        for (const e of history.history?.events ?? []) {
          const data = e.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0]?.data;
          if (data) seen.push((JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id);
        }
      }
      return { distinct: new Set(seen).size, repeated: seen.length - new Set(seen).size };
    } finally {
      await connection.close();
    }
  }
});
