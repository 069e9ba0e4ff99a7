/**
 * The event relay's failure reporting: every failure counted, the log told when delivery starts failing (with what,
 * for which event and plan, and the error), when the kind of failure changes, once a minute while it goes on, and
 * when it recovers; never once per retry (during an outage the relay retries every second).
 */
import { Client, Connection } from '@temporalio/client';
import { createPrisma } from '../../platform/database';
import { relayPendingEvents } from '../../services/event-relay';
import { createPlan, recordEvents } from '../../services/plan-data';
import { RelayHealth, type RelayLog } from '../../services/relay-health';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort } from '../support/dev-server';
import { newPlan, seedPartnership } from '../support/fixtures';

const SETTINGS = { reminderWorkingDays: 2, secondLevelWorkingDays: 5, secondLevelRole: 'head-of-service' };

function recorder(): {
  log: RelayLog;
  lines: Array<{ level: string; message: string; context: Record<string, unknown> }>;
} {
  const lines: Array<{ level: string; message: string; context: Record<string, unknown> }> = [];
  return {
    lines,
    log: {
      warn: (message, context) => lines.push({ level: 'warn', message, context }),
      info: (message, context) => lines.push({ level: 'info', message, context }),
    },
  };
}

it('logs the start of an outage with its context, a summary a minute, the change of cause and the recovery; counts every failure', () => {
  let now = 0;
  const { log, lines } = recorder();
  const health = new RelayHealth(log, { now: () => now });
  const temporalDown = new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233');

  health.succeeded(3);
  expect(lines).toEqual([]);

  // Ten minutes of a retry every second.
  for (let second = 0; second < 600; second++) {
    now = second * 1000;
    health.failed({ step: 'signal', eventId: 'ev-1', planId: 'CAM-1', error: temporalDown });
  }
  expect(health.stats()).toEqual({ delivered: 3, errors: 600, failing: true });
  expect(lines[0]).toEqual({
    level: 'warn',
    message: expect.stringMatching(
      /^event relay failing: could not signal the plan workflow \(Temporal\): 14 UNAVAILABLE/,
    ),
    context: { step: 'signal', eventId: 'ev-1', planId: 'CAM-1', error: temporalDown.message },
  });
  // The first line, then one summary a minute: not 600 lines.
  expect(lines).toHaveLength(10);
  expect(lines[9]!.message).toMatch(
    /^event relay still failing after 9m00s: 541 failed attempts; last: could not signal/,
  );

  // The database goes too: said at once.
  now += 1000;
  health.failed({ step: 'read-pending', error: new Error("Can't reach database server at 127.0.0.1:5432") });
  expect(lines).toHaveLength(11);
  expect(lines[10]!.message).toMatch(
    /^event relay still failing, now: could not read the pending deliveries \(database\)/,
  );

  now += 5000;
  health.succeeded(7);
  expect(lines[11]).toMatchObject({
    level: 'info',
    message: 'event relay recovered after 10m05s and 601 failed attempts',
  });
  expect(health.stats()).toEqual({ delivered: 10, errors: 601, failing: false });

  // A later failure is a new outage, logged again.
  health.failed({ step: 'stamp', eventId: 'ev-9', planId: 'CAM-2', error: new Error('Connection terminated') });
  expect(lines[12]!.message).toMatch(/^event relay failing: could not record the delivery \(database\)/);
});

describe('the relay reports through it', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('relay_health');
    await seedPartnership(db.prisma);
    await createPlan(db.prisma, newPlan('RH-1', '2026-01-05'), '2026-01-05');
    await recordEvents(db.prisma, 'RH-1', [{ id: 'rh-ev-1', type: 'child-seen', on: '2026-01-06' }], '2026-01-06');
  });
  afterAll(() => db?.drop());

  it('counts a failed delivery and logs it with the event, the plan and the error', async () => {
    const { log, lines } = recorder();
    const health = new RelayHealth(log);
    // The client retries an unreachable server for a while before failing: one attempt is enough here (the counting
    // of many is the test above).
    const unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 300 }) });
    const deps = { prisma: db.prisma, temporal: unreachable, taskQueue: 'q', settings: SETTINGS, health };
    expect(await relayPendingEvents(deps)).toBe(0);
    expect(health.stats()).toEqual({ delivered: 0, errors: 1, failing: true });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.context).toMatchObject({ step: 'signal', eventId: 'rh-ev-1', planId: 'RH-1' });
    expect(String(lines[0]!.context['error'])).not.toBe('');
  });

  it('reports a database it cannot read, then throws', async () => {
    const { log, lines } = recorder();
    const health = new RelayHealth(log);
    const url = new URL(db.url);
    url.port = String(await freePort());
    const down = createPrisma(url.toString());
    try {
      const deps = {
        prisma: down,
        temporal: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
        taskQueue: 'q',
        settings: SETTINGS,
        health,
      };
      await expect(relayPendingEvents(deps)).rejects.toThrow();
      expect(health.stats().errors).toBe(1);
      expect(lines[0]!.message).toMatch(/could not read the pending deliveries \(database\)/);
    } finally {
      await down.$disconnect();
    }
  });
});
