/**
 * The plan activities called directly, as Temporal would call them, against a real PostgreSQL database and a real
 * SMTP server on loopback. Every guarantee is checked on what crossed the wire (the caught emails) and on the outbox
 * rows, never on calls to a mock.
 *
 * Each test uses its own plan, so emails are told apart by their X-Corewatch-Key header (`<plan>|<intent key>`);
 * the catcher is never cleared, so the last test can check every email this file sent.
 */
import { getPolicy as currentPolicy, rulesVersionOf } from '../../domain/policies';
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import nodemailer from 'nodemailer';
import { createPlanActivities, type PlanActivities } from '../../activities/plan-activities';
import { dueNow, ESCALATION_RULES, type NotificationIntent, type NotificationLevel } from '../../domain/notifications';
import type { Citation, Obligation } from '../../domain/types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createPlan, recordEvents } from '../../services/plan-data';
import { eventually } from '../support/eventually';
import { CHILD_NAME, PEOPLE, newPlan, seedPartnership, planRow } from '../support/fixtures';
import { SmtpCatcher, type CaughtMail } from '../support/smtp';

const RULE: Citation = {
  id: 'england/first-core-group',
  source: 'Working Together to Safeguard Children 2023',
  section: 'Chapter 3, Child protection plans',
  quote:
    'The first core group meeting should take place within 10 working days of the initial child protection conference',
  basis: 'stated',
};

let db: TestDatabase;
let smtp: SmtpCatcher;
let activities: PlanActivities;

beforeAll(async () => {
  db = await createTestDatabase('send_notification');
  await seedPartnership(db.prisma);
  smtp = new SmtpCatcher();
  await smtp.start();
  activities = createPlanActivities({
    prisma: db.prisma,
    mailer: nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true }),
    mailFrom: 'corewatch@council.test',
    publicBaseUrl: 'http://corewatch.test',
  });
});

afterAll(async () => {
  await smtp?.stop();
  await db?.drop();
});

afterEach(() => {
  // A failed outage test must not leave the catcher refusing mail for the tests after it.
  if (smtp) smtp.refuse = false;
});

/** A plan row whose roles are held by the fixture people (all four by default), created straight through Prisma. */
async function seedPlan(
  roles: Array<{ personId: string; role: string }> = Object.values(PEOPLE).map((p) => ({
    personId: p.id,
    role: p.role,
  })),
): Promise<string> {
  const id = `PLAN-${randomUUID().slice(0, 8)}`;
  await db.prisma.plan.create({ data: { ...planRow(id, '2026-01-05'), roles: { create: roles } } });
  return id;
}

/** The first core group's ladder rung, as planNotifications would produce it. */
function obligationIntent(
  level: NotificationLevel = 'escalation',
  recipients = ['team-manager', 'conference-chair'],
): NotificationIntent {
  const reason =
    level === 'reminder' ? 'deadline-approaching' : level === 'escalation' ? 'deadline-missed' : 'still-unmet';
  return {
    key: `first-core-group|${level}`,
    subject: 'first-core-group',
    level,
    reason,
    fireOn: '2026-01-20',
    recipients,
    route: ESCALATION_RULES.missedDeadline,
    obligation: { kind: 'first-core-group', due: '2026-01-19', from: '2026-01-05', rule: RULE },
  };
}

function nonEngagementIntent(detail: string): NotificationIntent {
  const subject = 'non-engagement@2026-01-12#evt-1';
  return {
    key: `${subject}|escalation`,
    subject,
    level: 'escalation',
    reason: 'non-engagement-reported',
    fireOn: '2026-01-12',
    recipients: ['team-manager', 'conference-chair'],
    route: ESCALATION_RULES.nonEngagement,
    detail,
  };
}

/** Emails caught for one outbox key. */
function mailsFor(planId: string, intent: NotificationIntent): CaughtMail[] {
  return smtp.messages.filter((m) => m.corewatchKey === `${planId}|${intent.key}`);
}

async function outbox(planId: string, intent: NotificationIntent) {
  return db.prisma.notification.findUnique({
    where: { key: `${planId}|${intent.key}` },
    include: { sendAttempts: { orderBy: { attemptedAt: 'asc' } } },
  });
}

/** The settled outcome of a call that is expected to throw. */
async function thrownBy(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    (value) => {
      throw new Error(`expected a throw, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** One part of a MIME message, decoded from its transfer encoding. */
function mimePart(raw: string, contentType: string): string {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  if (boundary === undefined) throw new Error('not a multipart message');
  const part = raw
    .split(`--${boundary}`)
    .find((p) =>
      new RegExp(`^content-type:\\s*${contentType.replace('/', '\\/')}`, 'im').test(p.split(/\r?\n\r?\n/)[0] ?? ''),
    );
  if (part === undefined) throw new Error(`no ${contentType} part`);
  const [head = '', ...rest] = part.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
  const content = rest.join('\r\n\r\n');
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(head)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = content
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return content;
}

describe('sendNotification: at most once', () => {
  it('sends an intent delivered twice exactly once, and says the second time that it was already sent', async () => {
    const planId = await seedPlan();
    const intent = obligationIntent();

    expect(await activities.sendNotification({ planId, intent })).toBe('sent');
    expect(await activities.sendNotification({ planId, intent })).toBe('already-sent');

    const mails = mailsFor(planId, intent);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to.sort()).toEqual([PEOPLE.chair.email, PEOPLE.teamManager.email].sort());

    expect(await db.prisma.notification.count({ where: { planId } })).toBe(1);
    const row = await outbox(planId, intent);
    expect(row).toMatchObject({
      status: 'sent',
      attempts: 1,
      obligationKey: 'first-core-group',
      level: 'escalation',
      lastError: null,
    });
    expect(row!.sentAt).toBeInstanceOf(Date);
    expect(row!.messageId).toMatch(/^<[0-9a-f]{32}@corewatch>$/);
    // The Message-ID that crossed the wire is the one recorded.
    expect(mails[0]!.messageId).toBe(row!.messageId);
    expect(row!.sendAttempts).toHaveLength(1);
    expect(row!.sendAttempts[0]).toMatchObject({ outcome: 'sent', error: null });
    expect(row!.sendAttempts[0]!.smtpResponse).toMatch(/^250/);
  });

  it('sends exactly one email when copies of the same activity run concurrently, and every copy succeeds', async () => {
    const copies = 6;
    // Open the pool's connections first: on a cold pool the first copy runs ahead while the others wait to connect,
    // and the copies never really overlap.
    await Promise.all(Array.from({ length: copies }, () => db.prisma.$queryRaw`SELECT pg_sleep(0.05)::text`));
    const planId = await seedPlan();

    for (const intent of [
      obligationIntent('reminder', ['social-worker']),
      obligationIntent('escalation'),
      obligationIntent('second-level', ['head-of-service']),
    ]) {
      const outcomes = await Promise.all(
        Array.from({ length: copies }, () => activities.sendNotification({ planId, intent })),
      );

      expect(outcomes.sort()).toEqual([...Array<string>(copies - 1).fill('already-sent'), 'sent']);
      expect(mailsFor(planId, intent)).toHaveLength(1);
      const row = await outbox(planId, intent);
      expect(row).toMatchObject({ status: 'sent', attempts: 1 });
      expect(row!.sendAttempts.map((a) => a.outcome)).toEqual(['sent']);
    }
    expect(smtp.to(PEOPLE.socialWorker.email).filter((m) => m.corewatchKey.startsWith(`${planId}|`))).toHaveLength(1);
    expect(await db.prisma.notification.count({ where: { planId } })).toBe(3);
  });

  it('writes to a deadline once even under a renumbered key (a meeting recorded late made core-group#3 the fourth)', async () => {
    const planId = await seedPlan();
    const about = { kind: 'core-group' as const, from: '2025-10-23', due: '2025-12-04', rule: RULE };
    const asThird: NotificationIntent = {
      ...obligationIntent('escalation'),
      key: 'core-group#3|escalation',
      subject: 'core-group#3',
      obligation: about,
    };
    const asFourth: NotificationIntent = { ...asThird, key: 'core-group#4|escalation', subject: 'core-group#4' };
    expect(await activities.sendNotification({ planId, intent: asThird })).toBe('sent');
    expect(await activities.sendNotification({ planId, intent: asFourth })).toBe('not-owed');
    expect(smtp.messages.filter((m) => m.corewatchKey.startsWith(`${planId}|`))).toHaveLength(1);
    expect(
      await db.prisma.notification.findUnique({ where: { key: `${planId}|core-group#3|escalation` } }),
    ).toMatchObject({
      status: 'sent',
      deadline: 'core-group@2025-10-23/2025-12-04',
    });
    // Another deadline of the same kind (a different clock) is written to.
    const another: NotificationIntent = {
      ...asFourth,
      key: 'core-group#5|escalation',
      subject: 'core-group#5',
      obligation: { ...about, from: '2025-12-04', due: '2026-01-15' },
    };
    expect(await activities.sendNotification({ planId, intent: another })).toBe('sent');
  });

  it('keeps different levels of the same obligation apart: each is sent once', async () => {
    const planId = await seedPlan();
    const reminder = obligationIntent('reminder', ['social-worker']);
    const escalation = obligationIntent('escalation');

    expect(await activities.sendNotification({ planId, intent: reminder })).toBe('sent');
    expect(await activities.sendNotification({ planId, intent: escalation })).toBe('sent');
    expect(await activities.sendNotification({ planId, intent: reminder })).toBe('already-sent');

    expect(mailsFor(planId, reminder)).toHaveLength(1);
    expect(mailsFor(planId, escalation)).toHaveLength(1);
    expect(mailsFor(planId, reminder)[0]!.messageId).not.toBe(mailsFor(planId, escalation)[0]!.messageId);
  });
});

describe('sendNotification: a mail outage', () => {
  it('fails retryably while SMTP refuses, records the failed attempt, then sends exactly once when SMTP is back', async () => {
    const planId = await seedPlan();
    const intent = obligationIntent();

    smtp.refuse = true;
    const error = await thrownBy(activities.sendNotification({ planId, intent }));
    // A plain Error, which Temporal retries with backoff; a non-retryable failure would drop the escalation.
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ApplicationFailure);
    expect((error as { nonRetryable?: unknown }).nonRetryable).toBeUndefined();
    expect((error as Error).message).toMatch(/451/);
    expect(mailsFor(planId, intent)).toHaveLength(0);

    const failed = await outbox(planId, intent);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, sentAt: null, messageId: null });
    expect(failed!.lastError).toMatch(/451/);
    expect(failed!.sendAttempts).toHaveLength(1);
    expect(failed!.sendAttempts[0]!.outcome).toBe('failed');
    expect(failed!.sendAttempts[0]!.error).toMatch(/451.*mailbox temporarily unavailable/);

    // loadPlan must not count a failed send as sent, or a restarted workflow would never retry it.
    expect((await activities.loadPlan(planId)).sent).toEqual([]);

    smtp.refuse = false;
    expect(await activities.sendNotification({ planId, intent })).toBe('sent');
    expect(await activities.sendNotification({ planId, intent })).toBe('already-sent');

    expect(mailsFor(planId, intent)).toHaveLength(1);
    const sent = await outbox(planId, intent);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(sent!.sendAttempts.map((a) => a.outcome)).toEqual(['failed', 'sent']);
  });
});

describe('sendNotification: nobody to send to', () => {
  it('returns no-recipients without sending or throwing when no one holds the role, and records why', async () => {
    const planId = await seedPlan(
      [PEOPLE.socialWorker, PEOPLE.teamManager, PEOPLE.chair].map((p) => ({ personId: p.id, role: p.role })),
    );
    const intent = obligationIntent('second-level', ['head-of-service']);

    await expect(activities.sendNotification({ planId, intent })).resolves.toBe('no-recipients');

    expect(mailsFor(planId, intent)).toHaveLength(0);
    const row = await outbox(planId, intent);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, sentAt: null });
    expect(row!.lastError).toContain('head-of-service');
    expect(row!.sendAttempts).toHaveLength(1);
    expect(row!.sendAttempts[0]!.outcome).toBe('failed');
    expect(row!.sendAttempts[0]!.error).toContain('head-of-service');
    expect((await activities.loadPlan(planId)).sent).toEqual([]);
  });

  it('does not send to a person who holds the role but is no longer active', async () => {
    await db.prisma.person.create({
      data: {
        id: 'p-left',
        partnershipId: 'testshire',
        name: 'Lee Left',
        email: 'lee.left@council.test',
        active: false,
      },
    });
    const planId = await seedPlan([{ personId: 'p-left', role: 'head-of-service' }]);
    const intent = obligationIntent('second-level', ['head-of-service']);

    expect(await activities.sendNotification({ planId, intent })).toBe('no-recipients');
    expect(smtp.to('lee.left@council.test')).toHaveLength(0);
    expect((await outbox(planId, intent))!.sendAttempts.map((a) => a.outcome)).toEqual(['failed']);
  });
});

describe('sendNotification: what the email says', () => {
  it('names the plan reference and the obligation in the subject and body', async () => {
    const planId = await seedPlan();
    const intent = obligationIntent();
    await activities.sendNotification({ planId, intent });

    const [mail] = mailsFor(planId, intent);
    expect(mail!.subject).toBe(
      `[corewatch] Escalation: deadline missed: first core group due 2026-01-19 (plan ${planId})`,
    );
    const text = mimePart(mail!.raw, 'text/plain');
    expect(text).toContain(`Plan: ${planId}`);
    expect(text).toContain('Obligation: first core group');
    expect(text).toContain('Due: 2026-01-19');
    expect(text).toContain(`http://corewatch.test/plans/${planId}`);
    expect(mimePart(mail!.raw, 'text/html')).toContain(`<td>${planId}</td>`);
  });

  it('puts free text from the case record only in the body, HTML-escaped in the HTML part', async () => {
    const planId = await seedPlan();
    const detail = 'Parents declined the visit <script>alert("x")</script> & left';
    const intent = nonEngagementIntent(detail);
    expect(await activities.sendNotification({ planId, intent })).toBe('sent');

    const [mail] = mailsFor(planId, intent);
    expect(mail!.subject).toBe(`[corewatch] Escalation: parental non-engagement reported: 2026-01-12 (plan ${planId})`);
    expect(mail!.subject).not.toContain('declined');
    expect(mail!.subject).not.toContain('<');

    const html = mimePart(mail!.raw, 'text/html');
    expect(html).toContain('Parents declined the visit &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; left');
    expect(html).not.toMatch(/<script/i);
    expect(mimePart(mail!.raw, 'text/plain')).toContain(`Detail: ${detail}`);
  });
});

describe('refusals', () => {
  it('refuses an unknown plan with a non-retryable ApplicationFailure and sends nothing', async () => {
    const intent = obligationIntent();
    const before = smtp.messages.length;

    const error = await thrownBy(activities.sendNotification({ planId: 'PLAN-missing', intent }));
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).nonRetryable).toBe(true);
    expect((error as ApplicationFailure).type).toBe('PlanNotFound');
    expect(smtp.messages.length).toBe(before);
    expect(await db.prisma.notification.count({ where: { planId: 'PLAN-missing' } })).toBe(0);

    const loadError = await thrownBy(activities.loadPlan('PLAN-missing'));
    expect(loadError).toBeInstanceOf(ApplicationFailure);
    expect((loadError as ApplicationFailure).nonRetryable).toBe(true);
  });

  it('refuses to load a plan whose policy corewatch does not know, non-retryably', async () => {
    const id = `PLAN-${randomUUID().slice(0, 8)}`;
    await db.prisma.plan.create({ data: planRow(id, '2026-01-05', 'atlantis') });
    const error = await thrownBy(activities.loadPlan(id));
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).nonRetryable).toBe(true);
    expect((error as ApplicationFailure).type).toBe('UnknownPolicy');
  });
});

describe('loadPlan', () => {
  it('returns the plan facts, the event log in date order with ids, and the keys already sent', async () => {
    const planId = await seedPlan();
    const events = [
      { id: 'evt-c', type: 'child-seen', on: '2026-01-20', seenAlone: true, recordedAt: '2026-01-20T09:00:00Z' },
      { id: 'evt-a', type: 'core-group-scheduled', on: '2026-01-09', recordedAt: '2026-01-06T09:00:00Z' },
      // Same day as evt-b but recorded later: ties are broken by when they were recorded.
      {
        id: 'evt-b2',
        type: 'non-engagement-reported',
        on: '2026-01-12',
        detail: 'No answer at the door.',
        recordedAt: '2026-01-12T15:00:00Z',
      },
      {
        id: 'evt-b',
        type: 'core-group-held',
        on: '2026-01-12',
        parentsPresent: false,
        recordedAt: '2026-01-12T11:00:00Z',
      },
    ];
    for (const { recordedAt, ...event } of events) {
      await db.prisma.planEvent.create({
        data: {
          id: event.id,
          planId,
          type: event.type,
          on: new Date(`${event.on}T00:00:00.000Z`),
          payload: event,
          recordedAt: new Date(recordedAt),
        },
      });
    }
    const sentIntent = obligationIntent('reminder', ['social-worker']);
    const unsendable = obligationIntent('second-level', ['nobody-holds-this-role']);
    expect(await activities.sendNotification({ planId, intent: sentIntent })).toBe('sent');
    expect(await activities.sendNotification({ planId, intent: unsendable })).toBe('no-recipients');

    const state = await activities.loadPlan(planId);

    expect(state.policyId).toBe('england');
    expect(state.plan).toEqual({ type: 'child-protection', startedOn: '2026-01-05' });
    expect(state.generation).toBe(0);
    expect(state.events).toEqual([
      { id: 'evt-a', type: 'core-group-scheduled', on: '2026-01-09' },
      { id: 'evt-b', type: 'core-group-held', on: '2026-01-12', parentsPresent: false },
      { id: 'evt-b2', type: 'non-engagement-reported', on: '2026-01-12', detail: 'No answer at the door.' },
      { id: 'evt-c', type: 'child-seen', on: '2026-01-20', seenAlone: true },
    ]);
    expect(state.sent).toEqual([
      {
        key: sentIntent.key,
        subject: 'first-core-group',
        level: 'reminder',
        on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      },
    ]);
    // What a fresh workflow run does with it: the sent reminder is not due again, the undelivered rung still is.
    const sentKeys = new Set(state.sent.map((s) => s.key));
    expect(dueNow([sentIntent, unsendable], '2026-02-01', sentKeys).map((i) => i.key)).toEqual([unsendable.key]);
  });

  it("does not mix in another plan's events or notifications", async () => {
    const planId = await seedPlan();
    const other = await seedPlan();
    await db.prisma.planEvent.create({
      data: {
        id: `evt-${other}`,
        planId: other,
        type: 'child-seen',
        on: new Date('2026-01-07T00:00:00.000Z'),
        payload: { type: 'child-seen', on: '2026-01-07' },
      },
    });
    await activities.sendNotification({ planId: other, intent: obligationIntent() });

    const state = await activities.loadPlan(planId);
    expect(state.events).toEqual([]);
    expect(state.sent).toEqual([]);
  });
});

describe('saveObligations', () => {
  it('writes nothing: the read model is written when events are stored, and this activity only lets older histories resume', async () => {
    const planId = await seedPlan();
    const obligation: Obligation = {
      key: 'first-core-group',
      kind: 'first-core-group',
      due: '2026-01-19',
      status: 'pending',
      from: '2026-01-05',
      rule: RULE,
      rulesVersion: rulesVersionOf(currentPolicy('england')),
    };
    await activities.saveObligations({ planId, obligations: [obligation] });
    expect(await db.prisma.obligation.count({ where: { planId } })).toBe(0);
  });
});

describe('sendNotification: the lease', () => {
  /** Puts the outbox row of `intent` in `sending` under a lease of `ms`, as a sender that claimed it would. */
  async function leaseHeldElsewhere(planId: string, intent: NotificationIntent, ms: number): Promise<void> {
    const key = `${planId}|${intent.key}`;
    await db.prisma.notification.create({
      data: {
        key,
        planId,
        obligationKey: intent.subject,
        level: intent.level,
        recipients: [],
        subject: 'held elsewhere',
        status: 'sending',
        attempts: 1,
        leaseUntil: new Date(Date.now() + ms),
        sendAttempts: { create: { outcome: 'started' } },
      },
    });
  }

  it('does not send while another copy holds a live lease, and answers already-sent once that copy has sent', async () => {
    const planId = await seedPlan();
    const intent = obligationIntent();
    await leaseHeldElsewhere(planId, intent, 20_000);

    let settled = false;
    const copy = activities.sendNotification({ planId, intent }).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 1000));
    expect(settled).toBe(false);
    expect(mailsFor(planId, intent)).toHaveLength(0);

    // The holder finishes: this copy learns it was sent, and sends nothing.
    await db.prisma.notification.update({
      where: { key: `${planId}|${intent.key}` },
      data: { status: 'sent', sentAt: new Date(), leaseUntil: null },
    });
    expect(await copy).toBe('already-sent');
    expect(mailsFor(planId, intent)).toHaveLength(0);
  });

  it("sends once a dead sender's lease has expired, with its own attempt beside the dead one's", async () => {
    const planId = await seedPlan();
    const intent = obligationIntent();
    await leaseHeldElsewhere(planId, intent, 1500);

    const started = Date.now();
    expect(await activities.sendNotification({ planId, intent })).toBe('sent');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1200);
    expect(mailsFor(planId, intent)).toHaveLength(1);
    const row = await outbox(planId, intent);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, leaseUntil: null });
    // The dead sender's attempt stays `started`: whether it sent is unknown, and the log says so.
    expect(row!.sendAttempts.map((a) => a.outcome)).toEqual(['started', 'sent']);
  });

  it('holds no lock or transaction while SMTP is slow: the row reads `sending` under a lease meanwhile', async () => {
    const planId = await seedPlan();
    const intent = obligationIntent();
    smtp.delayMs = 1500;
    try {
      const sending = activities.sendNotification({ planId, intent });
      await eventually(async () => expect((await outbox(planId, intent))?.status).toBe('sending'), 5000, 20);
      // NOWAIT fails at once if any transaction holds the row's lock.
      const locked = await db.prisma.$transaction(
        (tx) => tx.$queryRaw<Array<{ status: string; leaseUntil: Date }>>`
          SELECT status, "leaseUntil" FROM "Notification" WHERE key = ${`${planId}|${intent.key}`} FOR UPDATE NOWAIT`,
      );
      expect(locked[0]!.status).toBe('sending');
      expect(locked[0]!.leaseUntil.getTime()).toBeGreaterThan(Date.now());
      expect(await sending).toBe('sent');
    } finally {
      smtp.delayMs = 0;
    }
    expect(mailsFor(planId, intent)).toHaveLength(1);
  });

  it('stops waiting for SMTP at the deadline and keeps the lease, so no copy sends until it expires (the stated window)', async () => {
    const quick = createPlanActivities({
      prisma: db.prisma,
      mailer: nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true }),
      mailFrom: 'corewatch@council.test',
      publicBaseUrl: 'http://corewatch.test',
      outboxTiming: { leaseMs: 3000, sendDeadlineMs: 500 },
    });
    const planId = await seedPlan();
    const intent = obligationIntent();
    smtp.delayMs = 1500;
    try {
      const error = await thrownBy(quick.sendNotification({ planId, intent }));
      expect((error as Error).message).toMatch(/did not answer within 0.5 s/);
      const row = await outbox(planId, intent);
      expect(row).toMatchObject({ status: 'sending' });
      expect(row!.sendAttempts.map((a) => a.outcome)).toEqual(['timed-out']);

      // A retry at once finds the lease live and waits it out; the abandoned exchange ends meanwhile (the server
      // did accept it), and the retry then sends again, under the same Message-ID: the window README states.
      const retried = Date.now();
      smtp.delayMs = 0;
      expect(await quick.sendNotification({ planId, intent })).toBe('sent');
      expect(Date.now() - retried).toBeGreaterThanOrEqual(2000);
    } finally {
      smtp.delayMs = 0;
    }
    const mails = mailsFor(planId, intent);
    expect(mails).toHaveLength(2);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(1);
    expect((await outbox(planId, intent))!.sendAttempts.map((a) => a.outcome)).toEqual(['timed-out', 'sent']);
  });
});

describe('sendNotification: undeliverable notifications reach the administrators, once', () => {
  const ADMIN = { id: 'p-admin', email: 'ada.admin@council.test' };

  beforeAll(async () => {
    await db.prisma.person.create({
      data: { id: ADMIN.id, partnershipId: 'testshire', name: 'Ada Admin', email: ADMIN.email },
    });
    await db.prisma.partnershipMember.create({
      data: { partnershipId: 'testshire', personId: ADMIN.id, role: 'administrator' },
    });
  });

  const alertsFor = (planId: string, intent: NotificationIntent) =>
    smtp.messages.filter((m) => m.corewatchKey === `${planId}|${intent.key}|undeliverable`);

  it('tells the administrators once when nobody holds the role, however often the send is retried', async () => {
    const planId = await seedPlan([PEOPLE.socialWorker].map((p) => ({ personId: p.id, role: p.role })));
    const intent = obligationIntent('second-level', ['head-of-service']);

    expect(await activities.sendNotification({ planId, intent })).toBe('no-recipients');
    expect(await activities.sendNotification({ planId, intent })).toBe('no-recipients');

    const alerts = alertsFor(planId, intent);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.to).toEqual([ADMIN.email]);
    expect(alerts[0]!.subject).toBe(
      `[corewatch] Not delivered: Second-level escalation: deadline still unmet: first core group due 2026-01-19 (plan ${planId})`,
    );
    expect(alerts[0]!.body).toContain('Problem: no active person holds the role(s) head-of-service');
    expect(alerts[0]!.body).toContain('http://corewatch.test/escalations');
    expect(await outbox(planId, intent)).toMatchObject({ status: 'failed', undeliverable: true });
  });

  it('records a permanent refusal of every address as undeliverable, does not retry it, and alerts once', async () => {
    const planId = await seedPlan();
    const intent = obligationIntent();
    smtp.refuseRecipients.add(PEOPLE.teamManager.email).add(PEOPLE.chair.email);
    try {
      expect(await activities.sendNotification({ planId, intent })).toBe('undeliverable');
    } finally {
      smtp.refuseRecipients.clear();
    }
    expect(mailsFor(planId, intent)).toHaveLength(0);
    const row = await outbox(planId, intent);
    expect(row).toMatchObject({ status: 'failed', undeliverable: true });
    expect(row!.lastError).toMatch(/550/);
    expect(row!.sendAttempts.map((a) => a.outcome)).toEqual(['failed']);
    expect(alertsFor(planId, intent)).toHaveLength(1);
    expect(alertsFor(planId, intent)[0]!.body).toMatch(/Problem: .*550/);
  });

  it('sends to the addresses the server took, and tells the administrators which it refused', async () => {
    const planId = await seedPlan();
    const intent = obligationIntent();
    smtp.refuseRecipients.add(PEOPLE.chair.email);
    try {
      expect(await activities.sendNotification({ planId, intent })).toBe('sent');
      expect(await activities.sendNotification({ planId, intent })).toBe('already-sent');
    } finally {
      smtp.refuseRecipients.clear();
    }
    const mails = mailsFor(planId, intent);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual([PEOPLE.teamManager.email]);
    const row = await outbox(planId, intent);
    expect(row).toMatchObject({ status: 'sent', undeliverable: true });
    expect(row!.lastError).toContain(PEOPLE.chair.email);
    expect(alertsFor(planId, intent)).toHaveLength(1);
    expect(alertsFor(planId, intent)[0]!.body).toContain(PEOPLE.chair.email);
  });

  it('keeps the administrators alert out of what a restarted workflow counts as sent', async () => {
    const planId = await seedPlan([PEOPLE.socialWorker].map((p) => ({ personId: p.id, role: p.role })));
    await activities.sendNotification({ planId, intent: obligationIntent('escalation') });
    expect(alertsFor(planId, obligationIntent('escalation'))).toHaveLength(1);
    expect((await activities.loadPlan(planId)).sent).toEqual([]);
  });
});

describe('sendNotification: what the stored facts no longer owe is not sent', () => {
  it('sends nothing for an obligation the read model says was met, though the workflow has not heard yet', async () => {
    const planId = `PLAN-${randomUUID().slice(0, 8)}`;
    await createPlan(db.prisma, newPlan(planId, '2026-01-05'), '2026-01-05');
    // Accepted while Temporal was away: stored with the read model, its signal not delivered yet.
    await recordEvents(
      db.prisma,
      planId,
      [{ id: `held-${planId}`, type: 'core-group-held', on: '2026-01-15' }],
      '2026-01-15',
    );
    const intent = obligationIntent();

    expect(await activities.sendNotification({ planId, intent })).toBe('not-owed');
    expect(mailsFor(planId, intent)).toHaveLength(0);
    expect(await outbox(planId, intent)).toBeNull();
  });

  it('withdraws a failed one once the plan has ended before it fell due', async () => {
    const planId = `PLAN-${randomUUID().slice(0, 8)}`;
    await createPlan(db.prisma, newPlan(planId, '2026-01-05'), '2026-01-05');
    const intent = obligationIntent();
    smtp.refuse = true;
    await thrownBy(activities.sendNotification({ planId, intent }));
    smtp.refuse = false;
    await recordEvents(
      db.prisma,
      planId,
      [{ id: `end-${planId}`, type: 'plan-ended', on: '2026-01-16' }],
      '2026-01-16',
    );

    expect(await activities.sendNotification({ planId, intent })).toBe('not-owed');
    expect(mailsFor(planId, intent)).toHaveLength(0);
    expect(await outbox(planId, intent)).toMatchObject({
      status: 'withdrawn',
      lastError: 'no longer owed: the plan ended on 2026-01-16',
    });
  });

  it('still sends what is owed: an unmet obligation of a plan that has not ended', async () => {
    const planId = `PLAN-${randomUUID().slice(0, 8)}`;
    await createPlan(db.prisma, newPlan(planId, '2026-01-05'), '2026-01-05');
    expect(await activities.sendNotification({ planId, intent: obligationIntent() })).toBe('sent');
  });
});

describe('privacy, across the whole file', () => {
  it('never names the child in the subject or body of any email sent by this file', async () => {
    // Send one here too, so the check has something to look at even when run alone (-t).
    const planId = await seedPlan();
    expect(await activities.sendNotification({ planId, intent: obligationIntent('reminder', ['social-worker']) })).toBe(
      'sent',
    );

    expect(smtp.messages.length).toBeGreaterThan(0);
    for (const mail of smtp.messages) {
      for (const part of CHILD_NAME.split(' ')) {
        expect(mail.subject).not.toContain(part);
        expect(mail.body).not.toContain(part);
      }
      expect(mail.subject).toMatch(/\(plan PLAN-[0-9a-f]{8}\)$/);
    }
  });
});
