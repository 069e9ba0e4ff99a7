/**
 * The email a notification becomes, as a pure function: what the subject line may say (it travels through mail logs,
 * previews and lock screens) and how free text from case records is made safe for the HTML part.
 */
import { ESCALATION_RULES, type NotificationIntent } from '../../../domain/notifications';
import type { Citation } from '../../../domain/types';
import { escapeHtml, renderNotification } from '../../../activities/email/render-notification';

const RULE: Citation = {
  id: 'camden/first-core-group',
  source: 'Camden, Core groups: practice guidance for social workers (guidance/001)',
  section: '5 Timescales',
  quote: 'The first core group must be held within 10 working days of the "initial" conference & <ICPC>',
  basis: 'stated',
};

const PLAN = 'CAM-2026-0001';
const URL = 'http://corewatch.test/plans/CAM-2026-0001?a=1&b="2"';

function render(intent: NotificationIntent) {
  return renderNotification({ planRef: PLAN, intent, planUrl: URL });
}

const obligationIntent: NotificationIntent = {
  key: 'first-core-group|escalation',
  subject: 'first-core-group',
  level: 'escalation',
  reason: 'deadline-missed',
  fireOn: '2026-01-20',
  recipients: ['team-manager', 'conference-chair'],
  route: ESCALATION_RULES.missedDeadline,
  obligation: { kind: 'first-core-group', due: '2026-01-19', from: '2026-01-05', rule: RULE },
};

const eventIntents: NotificationIntent[] = [
  {
    key: 'non-engagement@2026-01-12#evt-7f3a|escalation',
    subject: 'non-engagement@2026-01-12#evt-7f3a',
    level: 'escalation',
    reason: 'non-engagement-reported',
    fireOn: '2026-01-12',
    recipients: ['team-manager', 'conference-chair'],
    route: ESCALATION_RULES.nonEngagement,
    detail: 'Mother said <b>no</b> & shut the door',
  },
  {
    key: 'parents-absent@2026-02-02|escalation',
    subject: 'parents-absent@2026-02-02',
    level: 'escalation',
    reason: 'parents-absent-twice',
    fireOn: '2026-02-02',
    recipients: ['team-manager', 'conference-chair'],
    route: ESCALATION_RULES.nonEngagement,
    detail: 'Parents absent from the core groups of 2026-01-12 and 2026-02-02.',
  },
  {
    key: 'missed-meeting@2026-03-04|escalation',
    subject: 'missed-meeting@2026-03-04',
    level: 'escalation',
    reason: 'booked-meeting-missed',
    fireOn: '2026-03-05',
    recipients: ['team-manager', 'conference-chair'],
    route: ESCALATION_RULES.nonEngagement,
    detail: 'Core group booked for 2026-03-04: no record that it was held or cancelled.',
  },
];

describe('the subject line', () => {
  it.each([
    [
      'deadline-approaching',
      'reminder',
      '[corewatch] Reminder: deadline approaching: first core group due 2026-01-19 (plan CAM-2026-0001)',
    ],
    [
      'deadline-missed',
      'escalation',
      '[corewatch] Escalation: deadline missed: first core group due 2026-01-19 (plan CAM-2026-0001)',
    ],
    [
      'still-unmet',
      'second-level',
      '[corewatch] Second-level escalation: deadline still unmet: first core group due 2026-01-19 (plan CAM-2026-0001)',
    ],
  ] as const)('names the obligation, its due date and the plan for a %s %s', (reason, level, subject) => {
    expect(render({ ...obligationIntent, reason, level, key: `first-core-group|${level}` }).subject).toBe(subject);
  });

  it('names an event-driven escalation by the date it concerns, without the event id or any free text', () => {
    expect(eventIntents.map((i) => render(i).subject)).toEqual([
      '[corewatch] Escalation: parental non-engagement reported: 2026-01-12 (plan CAM-2026-0001)',
      '[corewatch] Escalation: parents absent from two consecutive core groups: 2026-02-02 (plan CAM-2026-0001)',
      '[corewatch] Escalation: booked core group not held: 2026-03-04 (plan CAM-2026-0001)',
    ]);
  });

  it('never carries the detail, even when the detail is the only thing that differs', () => {
    const secret = 'Zebedee Testchild disclosed something';
    const email = render({ ...eventIntents[0]!, detail: secret });
    expect(email.subject).not.toContain('Zebedee');
    expect(email.text).toContain(`Detail: ${secret}`);
  });
});

describe('the body', () => {
  it('gives the plan, the obligation, its due date, the recipients, the cited rule and a link to the plan', () => {
    const { text } = render(obligationIntent);
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        'Escalation: deadline missed',
        `Plan: ${PLAN}`,
        'Obligation: first core group',
        'Due: 2026-01-19',
        'Addressed to: team-manager, conference-chair',
        `Deadline rule: ${RULE.source}, ${RULE.section}: "${RULE.quote}". Basis: stated in the quoted text.`,
        'Why these recipients: Camden, Core groups: practice guidance for social workers (guidance/001), 7 Key responsibilities: "liaising with the conference chair regarding any difficulties". Note: corewatch escalates an unmet statutory deadline to the team manager and the conference chair the day after it passes. Basis: default (the quoted text does not give this number or route; corewatch applies it, see the note).',
        `Open the plan: ${URL}`,
      ]),
    );
  });

  it('tells the reader when a number or a route is not in the text it cites (issue 10: rule.basis)', () => {
    const defaulted = { ...RULE, basis: 'default' as const, note: 'corewatch default' };
    const { text, html } = render({
      ...obligationIntent,
      obligation: { ...obligationIntent.obligation!, rule: defaulted },
    });
    expect(text).toContain(
      'Note: corewatch default. Basis: default (the quoted text does not give this number or route; corewatch applies it, see the note).',
    );
    expect(html).toContain('Basis: default');
  });

  it('escapes every piece of text in the HTML part: detail, rule quote and link', () => {
    const { html } = render({ ...eventIntents[0]!, obligation: obligationIntent.obligation! });
    expect(html).toContain('<td>Mother said &lt;b&gt;no&lt;/b&gt; &amp; shut the door</td>');
    expect(html).toContain('&quot;initial&quot; conference &amp; &lt;ICPC&gt;');
    expect(html).toContain('<a href="http://corewatch.test/plans/CAM-2026-0001?a=1&amp;b=&quot;2&quot;">');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<ICPC>');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attribute values, ampersand first', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });
});
