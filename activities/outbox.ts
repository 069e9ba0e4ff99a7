/**
 * The outbox's send: each key's email goes out at most once, and no database transaction is open while SMTP talks.
 *
 *   1. The row is created if missing (INSERT ... ON CONFLICT DO NOTHING).
 *   2. It is claimed with one conditional UPDATE ... RETURNING: status `sending` with a lease of SEND_LEASE_MS
 *      (database time), only if it is `pending` or `failed`, or `sending` with an expired lease. The same statement
 *      counts the attempt and records it (outcome `started`), so every attempt is in the log, even one whose process
 *      died. A copy of the send that finds a live lease does not send: it waits for the holder's outcome (`sent`
 *      answers it) and claims only once the lease has expired.
 *   3. SMTP runs outside any transaction, bounded by nodemailer's timeouts and a hard deadline
 *      (platform/mail-transport.ts), both shorter than the lease.
 *   4. The outcome is written in one statement on the connection held since the claim: `sent` (with the Message-ID
 *      and the server's reply), or `failed` with the reason (retried by Temporal; or not, when retrying cannot help:
 *      `undeliverable`).
 *
 * What remains (stated in README "Guarantees"): if the process dies after the SMTP server accepted the message but
 * before step 4 commits (the time of one statement), the row stays `sending` until its lease expires, and the next
 * attempt sends it again with the same Message-ID (mail systems can recognise the repeat). Likewise when SMTP does not answer within the deadline
 * (`timed-out`): the lease is kept until it expires, so no copy sends while the abandoned exchange could still finish.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SentMessageInfo, Transporter } from 'nodemailer';
import { withConnection, type HeldConnection, type PrismaClient } from '../platform/database';
import { Prisma } from '../prisma/generated/client';
import { SMTP_SEND_DEADLINE_MS } from '../platform/mail-transport';
import type { Recipient } from '../services/plan-data';
import type { RenderedEmail } from './email/render-notification';

/**
 * How long a claim keeps other senders off a row. Longer than the SMTP deadline (a send never outlives its lease);
 * short, because a sender that died holding it delays that email by up to this much (test/faults checks recovery).
 */
export const SEND_LEASE_MS = 30_000;
/** How often a copy waiting on another's lease looks again. */
const LEASE_POLL_MS = 200;

export interface OutboxDeps {
  prisma: PrismaClient;
  mailer: Pick<Transporter, 'sendMail'>;
  mailFrom: string;
  /** The lease and the SMTP deadline, shortened by tests that wait them out (the deadline must stay below the lease). */
  outboxTiming?: { leaseMs: number; sendDeadlineMs: number };
}

export interface OutboxMessage {
  key: string;
  planId: string;
  obligationKey: string;
  level: string;
  /** The deadline it is about (domain/notifications.ts deadlineOf), for an obligation's notification. */
  deadline?: string;
  /** The people it goes to, resolved now; empty when nobody can be addressed. */
  recipients: Recipient[];
  /** Why nobody can be addressed, recorded when `recipients` is empty. */
  noRecipients: string;
  email: RenderedEmail;
}

export interface Delivery {
  outcome: 'sent' | 'already-sent' | 'no-recipients' | 'undeliverable';
  /** Retrying cannot reach someone it is addressed to (all, or some: then it was sent to the others). */
  undeliverable: boolean;
  /** What went wrong, when something did. */
  problem: string | null;
}

/** A transient failure: Temporal retries the activity with backoff. */
export class SendFailed extends Error {
  override name = 'SendFailed';
}

/** The Message-ID of a key's email: the same on every attempt, so a repeat after a crash can be recognised. */
export function messageIdFor(key: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@corewatch>`;
}

/** Sends the message at most once per key (see the module comment). Throws SendFailed when it should be retried. */
export async function deliverOnce(deps: OutboxDeps, message: OutboxMessage): Promise<Delivery> {
  const timing = deps.outboxTiming ?? { leaseMs: SEND_LEASE_MS, sendDeadlineMs: SMTP_SEND_DEADLINE_MS };
  // INSERT ... ON CONFLICT DO NOTHING. Not upsert: Prisma runs that as a SELECT then an INSERT, so concurrent
  // copies would race to insert and all but one fail on the unique key.
  await deps.prisma.notification.createMany({
    data: [
      {
        key: message.key,
        planId: message.planId,
        obligationKey: message.obligationKey,
        level: message.level,
        recipients: message.recipients,
        subject: message.email.subject,
        deadline: message.deadline ?? null,
      },
    ],
    skipDuplicates: true,
  });
  for (;;) {
    // Claim, send and record on one held connection (no transaction): once SMTP has accepted, the record is written
    // at once, not after queueing for a connection. The shorter that step, the narrower the window in which a crash
    // leaves a sent email unrecorded. A copy that waits on another's lease holds no connection while it waits.
    const step = await withConnection(deps.prisma, (connection) => sendOnce(deps, connection, message, timing));
    if (step.kind === 'done') return step.delivery;
    // `sending` under a live lease: another copy is sending. Do not send; look again shortly (its outcome, or the
    // lease's expiry, ends the wait; the activity's heartbeats show Temporal this copy is alive meanwhile).
    await sleep(Math.max(1, Math.min(LEASE_POLL_MS, step.waitMs ?? LEASE_POLL_MS)));
  }
}

type Step = { kind: 'done'; delivery: Delivery } | { kind: 'busy'; waitMs: number | null };

async function sendOnce(
  deps: OutboxDeps,
  db: HeldConnection,
  message: OutboxMessage,
  timing: { leaseMs: number; sendDeadlineMs: number },
): Promise<Step> {
  const { key } = message;
  const attemptId = randomUUID();
  // The claim: status `sending` under a lease, the attempt counted and logged as `started`, in one statement.
  const [claimed] = await db.query<Array<{ attempts: number }>>(Prisma.sql`
    WITH claimed AS (
      UPDATE "Notification"
      SET status = 'sending', attempts = attempts + 1,
          "leaseUntil" = now() + ${timing.leaseMs}::int * interval '1 millisecond'
      WHERE key = ${key}
        AND (status IN ('pending', 'failed', 'withdrawn') OR (status = 'sending' AND "leaseUntil" < now()))
      RETURNING id, attempts
    ), attempt AS (
      INSERT INTO "NotificationAttempt" (id, "notificationId", outcome)
      SELECT ${attemptId}, id, 'started' FROM claimed
    )
    SELECT attempts FROM claimed`);
  if (!claimed) {
    const [row] = await db.query<
      Array<{ status: string; undeliverable: boolean; lastError: string | null; waitMs: number | null }>
    >(Prisma.sql`
      SELECT status, undeliverable, "lastError", (EXTRACT(EPOCH FROM ("leaseUntil" - now())) * 1000)::int AS "waitMs"
      FROM "Notification" WHERE key = ${key}`);
    if (!row) throw new SendFailed(`outbox row ${key} vanished`);
    if (row.status !== 'sent') return { kind: 'busy', waitMs: row.waitMs };
    return {
      kind: 'done',
      delivery: { outcome: 'already-sent', undeliverable: row.undeliverable, problem: row.lastError },
    };
  }

  /** The attempt's outcome, and the row's, while this claim still holds it (a late outcome never overwrites a
   * later claim's). `release`: give the lease up (a failure), or keep it until it expires (a timeout). */
  const finish = (
    outcome: string,
    detail: { error: string; smtpResponse: string | null },
    failure: {
      undeliverable: boolean;
      release: boolean;
    },
  ) =>
    db.query(Prisma.sql`
      WITH attempt AS (
        UPDATE "NotificationAttempt" SET outcome = ${outcome}, error = ${detail.error}, "smtpResponse" = ${detail.smtpResponse}
        WHERE id = ${attemptId}
      )
      UPDATE "Notification"
      SET status = CASE WHEN ${failure.release} THEN 'failed' ELSE status END,
          "leaseUntil" = CASE WHEN ${failure.release} THEN NULL ELSE "leaseUntil" END,
          "lastError" = ${detail.error}, undeliverable = ${failure.undeliverable}
      WHERE key = ${key} AND status = 'sending' AND attempts = ${claimed.attempts}`);

  if (message.recipients.length === 0) {
    await finish('failed', { error: message.noRecipients, smtpResponse: null }, { undeliverable: true, release: true });
    return { kind: 'done', delivery: { outcome: 'no-recipients', undeliverable: true, problem: message.noRecipients } };
  }

  const messageId = messageIdFor(key);
  const result = await smtpWithDeadline(
    deps.mailer.sendMail({
      from: deps.mailFrom,
      // Copied people are Cc; with no one else to address (a notice to a core group with no members), they are To.
      ...addressing(message.recipients),
      subject: message.email.subject,
      text: message.email.text,
      html: message.email.html,
      messageId,
      headers: { 'X-Corewatch-Key': key },
    }),
    timing.sendDeadlineMs,
  );

  if (result.kind === 'sent') {
    const refused = refusedRecipients(result.info);
    const problem = refused.length > 0 ? `the mail server refused ${refused.join('; ')}` : null;
    const accepted = message.recipients.filter((r) => !result.info.rejected?.includes(r.email));
    // The first thing done once the server has accepted, in one statement. Not conditional on the claim: the
    // message went, whatever happened to the lease meanwhile.
    await db.query(Prisma.sql`
      WITH attempt AS (
        UPDATE "NotificationAttempt"
        SET outcome = 'sent', "smtpResponse" = ${String(result.info.response ?? '')}, error = ${problem}
        WHERE id = ${attemptId}
      )
      UPDATE "Notification"
      SET status = 'sent', "sentAt" = now(), "messageId" = ${messageId}, recipients = ${JSON.stringify(accepted)}::jsonb,
          "lastError" = ${problem}, undeliverable = ${problem !== null}, "leaseUntil" = NULL
      WHERE key = ${key}`);
    return { kind: 'done', delivery: { outcome: 'sent', undeliverable: problem !== null, problem } };
  }

  if (result.kind === 'timed-out') {
    const error = `SMTP did not answer within ${timing.sendDeadlineMs / 1000} s: whether it was sent is unknown`;
    // The lease stays: no copy sends until it expires, by when the abandoned exchange has ended.
    await finish('timed-out', { error, smtpResponse: 'ETIMEDOUT' }, { undeliverable: false, release: false });
    throw new SendFailed(error);
  }

  const error = result.error instanceof Error ? result.error.message : String(result.error);
  const permanent = refusedPermanently(result.error);
  await finish('failed', { error, smtpResponse: smtpReply(result.error) }, { undeliverable: permanent, release: true });
  if (permanent) return { kind: 'done', delivery: { outcome: 'undeliverable', undeliverable: true, problem: error } };
  throw new SendFailed(error);
}

type SmtpResult = { kind: 'sent'; info: SentMessageInfo } | { kind: 'failed'; error: unknown } | { kind: 'timed-out' };

/** The send, or `timed-out` after `deadlineMs` whatever the socket does. */
async function smtpWithDeadline(sending: Promise<SentMessageInfo>, deadlineMs: number): Promise<SmtpResult> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<SmtpResult>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timed-out' }), deadlineMs);
  });
  try {
    return await Promise.race([
      sending.then(
        (info): SmtpResult => ({ kind: 'sent', info }),
        (error: unknown): SmtpResult => ({ kind: 'failed', error }),
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

interface RejectedError {
  recipient?: string;
  responseCode?: number;
  response?: string;
}

/** nodemailer's per-recipient refusals on a message that went to the others: `address (reply)`. */
function refusedRecipients(info: SentMessageInfo): string[] {
  const errors = ((info as { rejectedErrors?: RejectedError[] }).rejectedErrors ?? []).map(
    (e) => `${e.recipient ?? '?'} (${e.response ?? e.responseCode ?? 'refused'})`,
  );
  if (errors.length > 0) return errors;
  return ((info as { rejected?: string[] }).rejected ?? []).map((address) => `${address} (refused)`);
}

/**
 * The server refused every recipient with a permanent (5xx) reply to RCPT TO: no retry can deliver it. Anything else
 * (connection refused, a timeout, a 4xx, a 5xx to MAIL FROM, AUTH or DATA: a relay misconfigured for an afternoon)
 * is retried, so a relay's passing fault never drops an escalation; it stays visible as `failed` meanwhile.
 */
function refusedPermanently(error: unknown): boolean {
  const e = error as { code?: string; command?: string; rejectedErrors?: RejectedError[] } | null;
  if (e?.code !== 'EENVELOPE' || e.command !== 'RCPT TO' || !e.rejectedErrors?.length) return false;
  return e.rejectedErrors.every((r) => (r.responseCode ?? 0) >= 500);
}

/** The server's reply to a failed send, or the error's code when there was none (connection refused, a timeout). */
function smtpReply(error: unknown): string {
  const e = error as { response?: unknown; code?: unknown } | null;
  if (typeof e?.response === 'string' && e.response !== '') return e.response;
  return typeof e?.code === 'string' ? e.code : 'ERROR';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The To and Cc of a message: those copied are Cc, unless nobody else is addressed. */
function addressing(recipients: readonly Recipient[]): { to: string[]; cc?: string[] } {
  const to = recipients.filter((r) => r.copy !== true).map((r) => r.email);
  const cc = recipients.filter((r) => r.copy === true).map((r) => r.email);
  if (to.length === 0) return { to: cc };
  return cc.length === 0 ? { to } : { to, cc };
}
