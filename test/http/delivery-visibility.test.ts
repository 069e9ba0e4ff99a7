/**
 * A notification that cannot be delivered is visible: on the dashboard's escalations page (its status and the
 * reason, for a team manager and, under a pseudonym, for an analyst) and in GET /metrics (Prometheus's text format,
 * behind METRICS_TOKEN). The outbox rows are written by the real activity against the real database and a real SMTP
 * server on loopback, so the page and the metrics show what the activity really records.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';
import { createPlanActivities, type PlanActivities } from '../../activities/plan-activities';
import { ESCALATION_RULES, type NotificationIntent } from '../../domain/notifications';
import { buildHttpApp } from '../../http/app';
import { loadConfig } from '../../platform/env';
import { createPlan, recordEvents } from '../../services/plan-data';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { PEOPLE, newPlan, seedPartnership } from '../support/fixtures';
import { signedInCookie } from '../support/sessions';
import { SmtpCatcher } from '../support/smtp';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const config = loadConfig({ COREWATCH_ENV: 'test', METRICS_TOKEN });
const TODAY = '2026-02-02';

let db: TestDatabase;
let smtp: SmtpCatcher;
let app: FastifyInstance;
let activities: PlanActivities;

function escalation(subject: string, level: 'escalation' | 'second-level', roles: string[]): NotificationIntent {
  return {
    key: `${subject}|${level}`,
    subject,
    level,
    reason: level === 'escalation' ? 'deadline-missed' : 'still-unmet',
    fireOn: '2026-01-20',
    recipients: roles,
    route: ESCALATION_RULES.missedDeadline,
    obligation: {
      kind: 'first-core-group',
      due: '2026-01-19',
      from: '2026-01-05',
      rule: {
        id: 'england/first-core-group',
        source: 'Working Together',
        section: '3',
        quote: 'within 10 days',
        basis: 'stated',
      },
    },
  };
}

/** Rows of the escalations page as [status, problem] pairs, and the plan cells. */
async function escalationsPage(cookie: { cookie: string }): Promise<{ rows: string[][]; body: string }> {
  const res = await app.inject({ method: 'GET', url: '/escalations', headers: cookie });
  expect(res.statusCode).toBe(200);
  const cell = (name: string) =>
    [...res.body.matchAll(new RegExp(`data-testid="${name}">([^<]*)<`, 'g'))].map((m) => m[1]!);
  const statuses = cell('delivery-status');
  const problems = cell('delivery-problem');
  return { rows: statuses.map((s, i) => [s, problems[i]!]), body: res.body };
}

async function metrics(): Promise<Map<string, number>> {
  const res = await app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return new Map(
    res.body
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => {
        const at = l.lastIndexOf(' ');
        return [l.slice(0, at), Number(l.slice(at + 1))] as const;
      }),
  );
}

beforeAll(async () => {
  db = await createTestDatabase('delivery_visibility');
  await seedPartnership(db.prisma);
  await db.prisma.person.create({
    data: { id: 'p-an', partnershipId: 'testshire', name: 'Ann Analyst', email: 'ann.analyst@council.test' },
  });
  await db.prisma.partnershipMember.create({ data: { partnershipId: 'testshire', personId: 'p-an', role: 'analyst' } });
  await db.prisma.teamMember.create({
    data: { teamId: 'team-a', personId: PEOPLE.teamManager.id, role: 'team-manager' },
  });
  smtp = new SmtpCatcher();
  await smtp.start();
  activities = createPlanActivities({
    prisma: db.prisma,
    mailer: nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true }),
    mailFrom: 'corewatch@council.test',
    publicBaseUrl: 'http://corewatch.test',
  });
  app = buildHttpApp({ prisma: db.prisma, config, today: () => TODAY });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await smtp?.stop();
  await db?.drop();
});

describe('undeliverable notifications are visible', () => {
  let planId: string;

  beforeAll(async () => {
    planId = `VIS-${randomUUID().slice(0, 6)}`;
    // No head of service on this plan: its second-level escalation has nobody to go to.
    await createPlan(
      db.prisma,
      {
        ...newPlan(planId, '2026-01-05'),
        roles: newPlan(planId, '2026-01-05').roles.filter((r) => r.role !== 'head-of-service'),
      },
      '2026-01-05',
    );
    await activities.sendNotification({
      planId,
      intent: escalation('first-core-group', 'second-level', ['head-of-service']),
    });
    // The mail relay out: the escalation is failing for now, and retried.
    smtp.refuse = true;
    await activities
      .sendNotification({
        planId,
        intent: escalation('first-core-group', 'escalation', ['team-manager', 'conference-chair']),
      })
      .catch(() => undefined);
    smtp.refuse = false;
  });

  it('lists each on the escalations page with its status and the reason, for a team manager', async () => {
    const manager = await signedInCookie(db.prisma, config, {
      personId: PEOPLE.teamManager.id,
      partnershipId: 'testshire',
    });
    const { rows, body } = await escalationsPage(manager);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['not delivered', 'no active person holds the role(s) head-of-service'],
        ['failing, retrying', expect.stringMatching(/451 mailbox temporarily unavailable/)],
      ]),
    );
    expect(body).toContain(planId);
  });

  it('lists them for an analyst too, under a pseudonym, the reason naming no plan', async () => {
    const analyst = await signedInCookie(db.prisma, config, { personId: 'p-an', partnershipId: 'testshire' });
    const { rows, body } = await escalationsPage(analyst);
    expect(rows).toContainEqual(['not delivered', 'no active person holds the role(s) head-of-service']);
    expect(body).not.toContain(planId);
  });

  it('counts them in GET /metrics, with the SMTP failure and the event relay backlog', async () => {
    // An event accepted and not yet delivered to its workflow.
    await recordEvents(db.prisma, planId, [{ id: `vis-seen-${planId}`, type: 'child-seen', on: '2026-01-20' }], TODAY);
    const m = await metrics();
    expect(m.get('corewatch_notifications{status="failed"}')).toBe(3); // the escalation, its second level, and the alert nobody administers
    expect(m.get('corewatch_notifications{status="sent"}')).toBe(0);
    expect(m.get('corewatch_notifications{status="sending"}')).toBe(0);
    expect(m.get('corewatch_notifications_undeliverable')).toBe(2); // the second level, and its alert (no administrator)
    expect(m.get('corewatch_smtp_failures_total')).toBe(1);
    expect(m.get('corewatch_event_deliveries_pending')).toBe(1);
    expect(m.get('corewatch_event_deliveries_failing')).toBe(0);

    // The relay back, the escalation sent: the counts follow.
    await activities.sendNotification({
      planId,
      intent: escalation('first-core-group', 'escalation', ['team-manager', 'conference-chair']),
    });
    const after = await metrics();
    expect(after.get('corewatch_notifications{status="sent"}')).toBe(1);
    expect(after.get('corewatch_notifications{status="failed"}')).toBe(2);
    expect(after.get('corewatch_smtp_failures_total')).toBe(1);
  });

  it('names no plan, person or child in the metrics', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(res.body).not.toContain(planId);
    expect(res.body).not.toMatch(/@council\.test|Zebedee|testshire/);
  });
});

describe('GET /metrics is protected', () => {
  it('refuses a request without the metrics token, or with another (an API token is not it)', async () => {
    for (const authorization of [undefined, 'Bearer not-the-token', `Bearer ${METRICS_TOKEN}x`]) {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toContain('corewatch_');
    }
  });

  it('is not there at all when METRICS_TOKEN is unset', async () => {
    const without = buildHttpApp({ prisma: db.prisma, config: loadConfig({ COREWATCH_ENV: 'test' }) });
    try {
      const res = await without.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(res.statusCode).toBe(404);
    } finally {
      await without.close();
    }
  });
});
