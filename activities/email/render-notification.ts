/**
 * Turns a notification intent into an email. Pure: no clock, no I/O.
 *
 * Subject and body name the plan reference and the obligation, never the child (this is children's data and subject
 * lines travel through mail logs, previews and phone lock screens). Free text from case records (`detail`) goes only
 * into the body, HTML-escaped.
 */
import type { NotificationIntent } from '../../domain/notifications';
import type { Citation, ObligationKind } from '../../domain/types';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const KIND_LABELS: Record<ObligationKind, string> = {
  'first-core-group': 'first core group',
  'core-group': 'core group',
  'core-group-record': 'core group record circulated',
  'child-seen': 'child seen',
  'review-conference': 'review child protection conference',
  'rescheduled-core-group': 'rescheduled core group',
  'cin-meeting': 'child in need meeting',
};

const REASON_HEADLINES: Record<NotificationIntent['reason'], string> = {
  'deadline-approaching': 'Reminder: deadline approaching',
  'deadline-missed': 'Escalation: deadline missed',
  'still-unmet': 'Second-level escalation: deadline still unmet',
  'non-engagement-reported': 'Escalation: parental non-engagement reported',
  'parents-absent-twice': 'Escalation: parents absent from two consecutive core groups',
  'booked-meeting-missed': 'Escalation: booked core group not held',
  'access-denied': 'Access to the child or the home denied',
  'social-worker-changed': 'Notice: a new social worker is allocated',
};

export function obligationLabel(kind: ObligationKind): string {
  return KIND_LABELS[kind];
}

export function renderNotification(args: {
  planRef: string;
  intent: NotificationIntent;
  planUrl: string;
  /** The name of the person the notification is about (`intent.person`), looked up by the sender. */
  personName?: string;
}): RenderedEmail {
  const { planRef, intent, planUrl } = args;
  const headline = REASON_HEADLINES[intent.reason];
  const subject = `[corewatch] ${notificationTitle(planRef, intent)}`;

  const lines: Array<[string, string]> = [['Plan', planRef]];
  if (intent.obligation) {
    lines.push(['Obligation', obligationLabel(intent.obligation.kind)], ['Due', intent.obligation.due]);
  }
  if (intent.person !== undefined) {
    lines.push(
      ['New allocated worker', args.personName ?? intent.person.personId],
      ['Role', intent.person.role],
      ['From', intent.person.from],
    );
  }
  lines.push(['Addressed to', intent.recipients.join(', ')]);
  if (intent.detail !== undefined) lines.push(['Detail', intent.detail]);
  // Every rule shown with its quote, its note and its basis: a number the quote does not give is said to be a default.
  const rules: Array<[string, string]> = [
    ...(intent.obligation ? [['Deadline rule', citationText(intent.obligation.rule)] as [string, string]] : []),
    ['Why these recipients', citationText(intent.route)],
  ];

  const { text, html } = layout(
    headline,
    lines,
    [
      ...rules.flatMap(([k, v]) => ['', `${k}: ${v}`]),
      '',
      `Open the plan: ${planUrl}`,
      '',
      'This message was sent by corewatch. It names the plan reference only; see the case record for details.',
    ],
    [
      ...rules.map(([k, v]) => `<p><strong>${escapeHtml(k)}:</strong> ${escapeHtml(v)}</p>`),
      `<p><a href="${escapeHtml(planUrl)}">Open the plan</a></p>`,
      '<p style="color: #505a5f">This message was sent by corewatch. It names the plan reference only; see the case record for details.</p>',
    ],
  );

  return { subject, text, html };
}

/**
 * What a notification is about, as its subject says it (without the `[corewatch] ` prefix): the headline, the
 * obligation and its due date (or, for an event-driven escalation, the date it concerns) and the plan reference.
 */
function notificationTitle(planRef: string, intent: NotificationIntent): string {
  // Event-driven escalations (non-engagement, absences, a missed booking) are named by the date they concern.
  const what = intent.obligation
    ? `${obligationLabel(intent.obligation.kind)} due ${intent.obligation.due}`
    : (intent.subject.split('@')[1] ?? '').split('#')[0]!;
  return `${REASON_HEADLINES[intent.reason]}: ${what} (plan ${planRef})`;
}

/**
 * Every email's body: the headline, then the `key: value` lines (a table in HTML), then each part's own tail. The
 * tails are already-formed lines: `htmlTail` must be escaped by the caller. The HTML closes its body after the tail.
 */
function layout(
  headline: string,
  lines: ReadonlyArray<[string, string]>,
  textTail: readonly string[],
  htmlTail: readonly string[],
): { text: string; html: string } {
  const text = [headline, '', ...lines.map(([k, v]) => `${k}: ${v}`), ...textTail].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family: Arial, sans-serif">',
    `<h1 style="font-size: 20px">${escapeHtml(headline)}</h1>`,
    '<table>',
    ...lines.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    '</table>',
    ...htmlTail,
    '</body></html>',
  ].join('\n');
  return { text, html };
}

/**
 * A rule as a reader sees it: where it comes from, its words, how corewatch reads them and, when the number is not in
 * those words, that it is a default.
 */
export function citationText(rule: Citation): string {
  const basis =
    rule.basis === 'default'
      ? ' Basis: default (the quoted text does not give this number or route; corewatch applies it, see the note).'
      : ' Basis: stated in the quoted text.';
  const note = rule.note === undefined ? '' : ` Note: ${rule.note}${/[.!?]$/.test(rule.note) ? '' : '.'}`;
  return `${rule.source}, ${rule.section}: "${rule.quote}".${note}${basis}`;
}

/**
 * The alert a partnership's administrators get when a notification cannot be delivered (nobody active holds the
 * role, or the mail server refused an address): what was not delivered, why, and where to look. Like every email,
 * it names the plan reference only. `problem` is corewatch's own text or the mail server's reply, escaped in HTML.
 */
export function renderUndeliverableAlert(args: {
  planRef: string;
  intent: NotificationIntent;
  problem: string;
  escalationsUrl: string;
}): RenderedEmail {
  const { planRef, intent, problem, escalationsUrl } = args;
  const what = notificationTitle(planRef, intent);
  const subject = `[corewatch] Not delivered: ${what}`;
  const headline = 'A notification could not be delivered';
  const lines: Array<[string, string]> = [
    ['Notification', what],
    ['Addressed to', intent.recipients.join(', ')],
    ['Problem', problem],
  ];
  const advice =
    'Until this is put right, nobody learns of this deadline from corewatch. Check who holds the role on the plan, ' +
    "or the person's email address in the directory (corewatch directory load).";
  const { text, html } = layout(
    headline,
    lines,
    ['', advice, '', `Undelivered notifications are listed at ${escalationsUrl}`],
    [`<p>${escapeHtml(advice)}</p>`, `<p><a href="${escapeHtml(escalationsUrl)}">Undelivered notifications</a></p>`],
  );
  return { subject, text, html };
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
