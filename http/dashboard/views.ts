/**
 * The pages' bodies: small pure functions from data to markup (no I/O, no clock), every value escaped by `html`.
 * No view shows a child's name: plans are named by their reference.
 */
import type { Measure, SummaryBlock } from '../../reports/types';
import { html, type SafeHtml } from './html';

export interface TrendPoint {
  month: string;
  plansOpen: number;
  escalationsRaised: number;
  /** Percentage of first core groups met within timescale, undefined when none fell due. */
  firstCoreGroupsMet: number | undefined;
}

export interface OverdueRow {
  /** The plan reference, or for someone who may only see pseudonymised lists its pseudonym. */
  reference: string;
  /** Whether the plan's page is open to the reader (their own record). */
  linked: boolean;
  team: string;
  obligation: string;
  due: string;
  daysOverdue: number;
  overdueCount: number;
}

export interface TimelineEntry {
  on: string;
  type: string;
  detail: string;
}

export interface ObligationRow {
  key: string;
  kind: string;
  due: string;
  status: string;
  metOn?: string | undefined;
  citation: { id: string; source: string; section: string; quote: string };
}

export interface PlanPage {
  reference: string;
  team: string;
  policy: string;
  rulesVersion: string;
  type: string;
  startedOn: string;
  endedOn: string | null;
  asOf: string;
  events: TimelineEntry[];
  obligations: ObligationRow[];
  notifications: Array<{ level: string; subject: string; sentAt: string | null; roles: string[] }>;
}

export interface EscalationRow {
  reference: string;
  linked: boolean;
  level: string;
  subject: string;
  status: string;
  at: string;
}

export interface ReportRow {
  id: string;
  month: string;
  status: string;
  generatedAt: string | null;
  byteSize: number | null;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const monthName = (month: string): string => `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
const SHORT = (month: string): string => `${MONTHS[Number(month.slice(5, 7)) - 1]!.slice(0, 3)} ${month.slice(2, 4)}`;
const percent = (p: number | undefined): string => (p === undefined ? 'n/a' : `${p.toFixed(1)}%`);
const RAG_TAG: Record<string, string> = { green: 'govuk-tag--green', amber: 'govuk-tag--yellow', red: 'govuk-tag--red', 'n/a': 'govuk-tag--grey' };

function ragTag(rag: string): SafeHtml {
  return html`<strong class="govuk-tag ${RAG_TAG[rag] ?? 'govuk-tag--grey'}">${rag === 'n/a' ? 'n/a' : rag}</strong>`;
}

function measureRow(m: Measure): SafeHtml {
  return html`<tr class="govuk-table__row">
  <th scope="row" class="govuk-table__header">${m.label}</th>
  <td class="govuk-table__cell govuk-table__cell--numeric">${m.count}</td>
  <td class="govuk-table__cell govuk-table__cell--numeric">${m.denominator ?? ''}</td>
  <td class="govuk-table__cell govuk-table__cell--numeric">${m.percentage === undefined ? '' : percent(m.percentage)}</td>
  <td class="govuk-table__cell">${ragTag(m.rag)}</td>
</tr>`;
}

function summaryTable(block: SummaryBlock, month: string): SafeHtml {
  const scope = block.scope === 'partnership' ? `${block.name} (whole partnership)` : `Team: ${block.name}`;
  return html`<table class="govuk-table">
  <caption class="govuk-table__caption govuk-table__caption--m">${scope}, ${monthName(month)}</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Measure</th>
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Count</th>
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Due</th>
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Percentage</th>
    <th scope="col" class="govuk-table__header">RAG</th>
  </tr></thead>
  <tbody class="govuk-table__body">${block.measures.map(measureRow)}</tbody>
</table>`;
}

/** A bar chart of plans open per month, as an image with a text alternative; the numbers are also in a table. */
export function trendChart(points: TrendPoint[]): SafeHtml {
  const width = 720;
  const height = 240;
  const left = 40;
  const bottom = 40;
  const max = Math.max(1, ...points.map((p) => p.plansOpen));
  const step = (width - left) / Math.max(1, points.length);
  const barHeight = (n: number) => ((height - bottom - 20) * n) / max;
  const first = points[0];
  const last = points.at(-1);
  const desc = points.map((p) => `${monthName(p.month)}: ${p.plansOpen}`).join('; ');
  return html`<figure class="govuk-!-margin-0 govuk-!-margin-bottom-6">
<svg role="img" aria-labelledby="trend-title trend-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" class="govuk-!-width-full" font-family="inherit" xmlns="http://www.w3.org/2000/svg">
  <title id="trend-title">Plans open during each of the last ${points.length} months${first && last ? `, ${monthName(first.month)} to ${monthName(last.month)}` : ''}</title>
  <desc id="trend-desc">${desc}</desc>
  <line x1="${left}" y1="${height - bottom}" x2="${width}" y2="${height - bottom}" stroke="#0b0c0c" stroke-width="1"/>
  <text x="0" y="20" font-size="14" fill="#0b0c0c">${max}</text>
  <text x="0" y="${height - bottom}" font-size="14" fill="#0b0c0c">0</text>
  ${points.map((p, i) => {
    const h = barHeight(p.plansOpen);
    const x = left + i * step + step * 0.15;
    return html`<rect x="${x.toFixed(1)}" y="${(height - bottom - h).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="#1d70b8"/>
  <text x="${(x + step * 0.35).toFixed(1)}" y="${(height - bottom - h - 4).toFixed(1)}" font-size="13" text-anchor="middle" fill="#0b0c0c">${p.plansOpen}</text>
  <text x="${(x + step * 0.35).toFixed(1)}" y="${height - bottom + 18}" font-size="12" text-anchor="middle" fill="#0b0c0c">${SHORT(p.month)}</text>`;
  })}
</svg>
</figure>
<table class="govuk-table govuk-visually-hidden">
  <caption class="govuk-table__caption">Trend of the last ${points.length} months</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Month</th>
    <th scope="col" class="govuk-table__header">Plans open</th>
    <th scope="col" class="govuk-table__header">Escalations raised</th>
    <th scope="col" class="govuk-table__header">First core groups met within timescale</th>
  </tr></thead>
  <tbody class="govuk-table__body">${points.map(
    (p) => html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${monthName(p.month)}</th><td class="govuk-table__cell">${p.plansOpen}</td><td class="govuk-table__cell">${p.escalationsRaised}</td><td class="govuk-table__cell">${percent(p.firstCoreGroupsMet)}</td></tr>`,
  )}</tbody>
</table>`;
}

export function overviewBody(input: { partnershipName: string; month: string; summary: SummaryBlock[]; trend: TrendPoint[] }): SafeHtml {
  return html`<h1 class="govuk-heading-l">${input.partnershipName}</h1>
<p class="govuk-body">The Summary figures of the monthly audit workbook for ${monthName(input.month)}, the last complete month, for the partnership and each team.</p>
<h2 class="govuk-heading-m">Plans open, last ${input.trend.length} months</h2>
${trendChart(input.trend)}
${input.summary.map((block) => summaryTable(block, input.month))}`;
}

/** A plan in a list: linked by its reference when it is the reader's own record, else its pseudonym, unlinked. */
function planCell(r: { reference: string; linked: boolean }): SafeHtml {
  return r.linked
    ? html`<a class="govuk-link" href="/plans/${encodeURIComponent(r.reference)}">${r.reference}</a>`
    : html`<span data-testid="pseudonym">${r.reference}</span>`;
}

const PSEUDONYM_NOTE = html`<p class="govuk-body-s" data-testid="pseudonym-note">Plans outside your own records are shown by pseudonym (P-…): stable from month to month, but not the plan reference.</p>`;

export function overdueBody(rows: OverdueRow[], asOf: string): SafeHtml {
  if (rows.length === 0) {
    return html`<h1 class="govuk-heading-l">Overdue now</h1><p class="govuk-body">No open plan has an overdue obligation as of ${asOf}.</p>`;
  }
  return html`<h1 class="govuk-heading-l">Overdue now</h1>
<p class="govuk-body">Open plans with at least one obligation past its due date as of ${asOf}, most overdue first.</p>
${rows.some((r) => !r.linked) ? PSEUDONYM_NOTE : ''}
<table class="govuk-table" data-testid="overdue-table">
  <caption class="govuk-table__caption govuk-table__caption--m">${rows.length} ${rows.length === 1 ? 'plan' : 'plans'} overdue</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Plan</th>
    <th scope="col" class="govuk-table__header">Team</th>
    <th scope="col" class="govuk-table__header">Most overdue obligation</th>
    <th scope="col" class="govuk-table__header">Due</th>
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Days overdue</th>
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Obligations overdue</th>
  </tr></thead>
  <tbody class="govuk-table__body">${rows.map(
    (r) => html`<tr class="govuk-table__row">
    <th scope="row" class="govuk-table__header">${planCell(r)}</th>
    <td class="govuk-table__cell">${r.team}</td>
    <td class="govuk-table__cell">${r.obligation}</td>
    <td class="govuk-table__cell">${r.due}</td>
    <td class="govuk-table__cell govuk-table__cell--numeric" data-testid="days-overdue">${r.daysOverdue}</td>
    <td class="govuk-table__cell govuk-table__cell--numeric">${r.overdueCount}</td>
  </tr>`,
  )}</tbody>
</table>`;
}

const STATUS_TAG: Record<string, string> = { met: 'govuk-tag--green', late: 'govuk-tag--yellow', overdue: 'govuk-tag--red', pending: 'govuk-tag--blue' };

export function planBody(p: PlanPage): SafeHtml {
  return html`<span class="govuk-caption-l">Plan</span>
<h1 class="govuk-heading-l">${p.reference}</h1>
<dl class="govuk-summary-list">
  ${[
    ['Team', p.team],
    ['Plan type', p.type],
    ['Policy', `${p.policy} (rules ${p.rulesVersion})`],
    ['Started', p.startedOn],
    ['Ended', p.endedOn ?? 'open'],
    ['Obligations as of', p.asOf],
  ].map(([k, v]) => html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${k}</dt><dd class="govuk-summary-list__value">${v}</dd></div>`)}
</dl>
<h2 class="govuk-heading-m">Obligations</h2>
<table class="govuk-table">
  <caption class="govuk-table__caption govuk-visually-hidden">Obligations with their due dates and the rules they come from</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Obligation</th>
    <th scope="col" class="govuk-table__header">Due</th>
    <th scope="col" class="govuk-table__header">Status</th>
    <th scope="col" class="govuk-table__header">Rule</th>
  </tr></thead>
  <tbody class="govuk-table__body">${p.obligations.map(
    (o) => html`<tr class="govuk-table__row">
    <th scope="row" class="govuk-table__header">${o.key}</th>
    <td class="govuk-table__cell">${o.due}</td>
    <td class="govuk-table__cell"><strong class="govuk-tag ${STATUS_TAG[o.status] ?? 'govuk-tag--grey'}">${o.status}</strong>${o.metOn ? html` <span class="govuk-body-s">on ${o.metOn}</span>` : ''}</td>
    <td class="govuk-table__cell"><span class="govuk-body-s" data-testid="citation">${o.citation.id}: ${o.citation.source}, ${o.citation.section}</span><br><span class="govuk-body-s">“${o.citation.quote}”</span></td>
  </tr>`,
  )}</tbody>
</table>
<h2 class="govuk-heading-m">Events</h2>
${p.events.length === 0
  ? html`<p class="govuk-body">No events recorded yet.</p>`
  : html`<ol class="govuk-list govuk-list--number">${p.events.map((e) => html`<li><strong>${e.on}</strong> ${e.type}${e.detail ? html` <span class="govuk-body-s">(${e.detail})</span>` : ''}</li>`)}</ol>`}
<h2 class="govuk-heading-m">Notifications sent</h2>
${p.notifications.length === 0
  ? html`<p class="govuk-body">No notifications sent.</p>`
  : html`<ul class="govuk-list govuk-list--bullet">${p.notifications.map((n) => html`<li>${n.sentAt ?? ''} <strong>${n.level}</strong>: ${n.subject} (to ${n.roles.join(', ')})</li>`)}</ul>`}`;
}

export function escalationsBody(rows: EscalationRow[]): SafeHtml {
  return html`<h1 class="govuk-heading-l">Escalations</h1>
${rows.length === 0
  ? html`<p class="govuk-body">No escalations have been raised.</p>`
  : html`${rows.some((r) => !r.linked) ? PSEUDONYM_NOTE : ''}<table class="govuk-table">
  <caption class="govuk-table__caption govuk-table__caption--m">Escalations and second-level escalations, newest first</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">When</th>
    <th scope="col" class="govuk-table__header">Plan</th>
    <th scope="col" class="govuk-table__header">Level</th>
    <th scope="col" class="govuk-table__header">About</th>
    <th scope="col" class="govuk-table__header">Status</th>
  </tr></thead>
  <tbody class="govuk-table__body">${rows.map(
    (r) => html`<tr class="govuk-table__row">
    <td class="govuk-table__cell">${r.at}</td>
    <td class="govuk-table__cell">${planCell(r)}</td>
    <td class="govuk-table__cell">${r.level}</td>
    <td class="govuk-table__cell">${r.subject}</td>
    <td class="govuk-table__cell">${r.status}</td>
  </tr>`,
  )}</tbody>
</table>`}`;
}

export function reportsBody(rows: ReportRow[]): SafeHtml {
  return html`<h1 class="govuk-heading-l">Monthly audit reports</h1>
<p class="govuk-body">Workbooks hold children's data: every download is logged.</p>
${rows.length === 0
  ? html`<p class="govuk-body">No workbook has been generated yet.</p>`
  : html`<table class="govuk-table">
  <caption class="govuk-table__caption govuk-table__caption--m">Workbooks</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Month</th>
    <th scope="col" class="govuk-table__header">Status</th>
    <th scope="col" class="govuk-table__header">Generated</th>
    <th scope="col" class="govuk-table__header">Download</th>
  </tr></thead>
  <tbody class="govuk-table__body">${rows.map(
    (r) => html`<tr class="govuk-table__row">
    <th scope="row" class="govuk-table__header">${monthName(r.month)}</th>
    <td class="govuk-table__cell">${r.status}</td>
    <td class="govuk-table__cell">${r.generatedAt ?? ''}</td>
    <td class="govuk-table__cell">${r.status === 'complete'
      ? html`<a class="govuk-link" href="/reports/${encodeURIComponent(r.id)}/download" download>Download ${monthName(r.month)} workbook (.xlsx${r.byteSize ? `, ${Math.ceil(r.byteSize / 1024)} KB` : ''})</a>`
      : 'not available'}</td>
  </tr>`,
  )}</tbody>
</table>`}`;
}

export interface SignInOptions {
  csrf: string;
  /** Where to go once signed in (a path on this site). */
  returnTo: string;
  /** Whether OpenID Connect sign-in is configured. */
  oidc: boolean;
  /** The built-in demo identities (empty in production). */
  demoPeople: Array<{ personId: string; displayName: string; roles: string }>;
}

export function signInBody(o: SignInOptions): SafeHtml {
  const hidden = html`<input type="hidden" name="csrf" value="${o.csrf}"><input type="hidden" name="returnTo" value="${o.returnTo}">`;
  return html`<h1 class="govuk-heading-l">Sign in</h1>
${o.returnTo !== '/' ? html`<p class="govuk-body">You need to sign in to see this page.</p>` : ''}
${!o.oidc && o.demoPeople.length === 0 ? html`<p class="govuk-body">Sign-in is not available here.</p>` : ''}
${o.oidc
  ? html`<a href="/auth/login?returnTo=${encodeURIComponent(o.returnTo)}" role="button" draggable="false" class="govuk-button govuk-button--start" data-module="govuk-button">Sign in with your council account</a>`
  : ''}
${o.demoPeople.length > 0
  ? html`<h2 class="govuk-heading-m">Demo identities</h2>
<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>These are built-in demonstration identities. Do not use them with real data.</strong></div>
<ul class="govuk-list">${o.demoPeople.map(
    (p) => html`<li><form method="post" action="/sign-in/demo" novalidate>
  ${hidden}<input type="hidden" name="personId" value="${p.personId}">
  <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-2" data-module="govuk-button">Sign in as ${p.displayName}, ${p.roles} (demo only)</button>
</form></li>`,
  )}</ul>`
  : ''}`;
}

export interface AccessLogView {
  rows: Array<{ at: string; who: string; action: string; route: string; planId: string | null; reportId: string | null }>;
  /** Link to the next, older page, if any. */
  olderHref: string | null;
}

const ACTION_LABELS: Record<string, string> = { 'plan-read': 'Read a plan', 'workbook-download': 'Downloaded a workbook', 'access-log-read': 'Read the access log' };

export function accessLogBody(view: AccessLogView): SafeHtml {
  return html`<h1 class="govuk-heading-l">Access log</h1>
<p class="govuk-body">Every read of a child's record, every workbook download and every read of this log, newest first. The log is append-only: the database refuses to change or delete it.</p>
${view.rows.length === 0
  ? html`<p class="govuk-body">Nothing has been read yet.</p>`
  : html`<table class="govuk-table" data-testid="access-log">
  <caption class="govuk-table__caption govuk-table__caption--m">Who read what, and when</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">When (UTC)</th>
    <th scope="col" class="govuk-table__header">Who</th>
    <th scope="col" class="govuk-table__header">What</th>
    <th scope="col" class="govuk-table__header">Plan or workbook</th>
    <th scope="col" class="govuk-table__header">Route</th>
  </tr></thead>
  <tbody class="govuk-table__body">${view.rows.map(
    (r) => html`<tr class="govuk-table__row">
    <td class="govuk-table__cell">${r.at}</td>
    <td class="govuk-table__cell">${r.who}</td>
    <td class="govuk-table__cell">${ACTION_LABELS[r.action] ?? r.action}</td>
    <td class="govuk-table__cell">${r.planId ?? r.reportId ?? ''}</td>
    <td class="govuk-table__cell govuk-body-s">${r.route}</td>
  </tr>`,
  )}</tbody>
</table>`}
${view.olderHref ? html`<p class="govuk-body"><a class="govuk-link" href="${view.olderHref}">Older entries</a></p>` : ''}`;
}

export function messageBody(title: string, message: string): SafeHtml {
  return html`<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${message}</p>`;
}
