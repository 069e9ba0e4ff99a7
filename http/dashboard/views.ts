/**
 * The pages' bodies: small pure functions from data to markup (no I/O, no clock), every value escaped by `html`.
 * No view shows a child's name: plans are named by their reference.
 */
import { monthTitle, shortMonth } from '../../domain/report-months';
import type { Measure, SummaryBlock } from '../../reports/types';
import type { KindToDate } from '../../services/plan-data';
import { html, type SafeHtml } from './html';

/** A rate of the trend: how many of how many were on time, and the percentage (undefined when none fell due). */
export interface TrendRate {
  count: number;
  denominator: number;
  percentage: number | undefined;
}

/** One month of the trend, from the stored monthly figures; `computed: false` when they have not been stored. */
export type TrendPoint =
  | { month: string; computed: false }
  | {
      month: string;
      computed: true;
      plansOpen: number;
      escalationsRaised: number;
      firstCoreGroups: TrendRate | undefined;
      laterCoreGroups: TrendRate | undefined;
      records: TrendRate | undefined;
      childSeen: TrendRate | undefined;
    };

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
  citation: { id: string; source: string; section: string; quote: string; note?: string; basis: 'stated' | 'default' };
}

export interface PlanPage {
  reference: string;
  /** Why the plan cannot be evaluated, when it cannot. */
  evaluationError: string | null;
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
  /** Who holds each role today. */
  people: Array<{ name: string; role: string; agency: string | null }>;
  /** Changes of people or team, in date order. */
  peopleChanges: Array<{ on: string; what: string }>;
}

export interface EscalationRow {
  reference: string;
  linked: boolean;
  level: string;
  subject: string;
  status: string;
  /** Why it was not (or not wholly) delivered, or why it is failing for now. */
  problem: string | null;
  at: string;
}

export interface ReportRow {
  id: string;
  month: string;
  status: string;
  generatedAt: string | null;
  byteSize: number | null;
}

export const monthName = monthTitle;
const SHORT = (month: string): string => shortMonth(month, { twoDigitYear: true });
const percent = (p: number | undefined): string => (p === undefined ? 'n/a' : `${p.toFixed(1)}%`);
const RAG_TAG: Record<string, string> = {
  green: 'govuk-tag--green',
  amber: 'govuk-tag--yellow',
  red: 'govuk-tag--red',
  'n/a': 'govuk-tag--grey',
};

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

const SERIES = [
  { key: 'firstCoreGroups', label: 'First core groups within timescale', colour: '#1d70b8', dash: '' },
  { key: 'laterCoreGroups', label: 'Later core groups on time', colour: '#00703c', dash: '6 3' },
  { key: 'records', label: 'Core group records circulated on time', colour: '#d4351c', dash: '2 3' },
  { key: 'childSeen', label: 'Child seen within timescale', colour: '#4c2c92', dash: '10 3 2 3' },
] as const;

const rateText = (r: TrendRate | undefined): string =>
  r === undefined || r.denominator === 0 ? 'none due' : `${percent(r.percentage)} (${r.count} of ${r.denominator})`;

/**
 * The trend of what a partnership watches: the percentage on time of first core groups, later core groups, records
 * and child visits, month by month, as a line chart with a text alternative, and the same figures (with their counts)
 * in a table below it. Months whose figures were not stored are gaps, and say so in the table.
 */
export function trendChart(points: TrendPoint[]): SafeHtml {
  const width = 720;
  const height = 260;
  const left = 44;
  const bottom = 36;
  const top = 12;
  const step = (width - left - 10) / Math.max(1, points.length - 1);
  const x = (i: number) => left + i * step;
  const y = (pct: number) => top + ((height - bottom - top) * (100 - pct)) / 100;
  const first = points[0];
  const last = points.at(-1);
  const desc = SERIES.map(
    (s) =>
      `${s.label}: ${points
        .map((p) => `${monthName(p.month)} ${p.computed ? rateText(p[s.key]) : 'not computed'}`)
        .join('; ')}`,
  ).join('. ');
  const line = (key: (typeof SERIES)[number]['key']) => {
    const runs: string[][] = [[]];
    points.forEach((p, i) => {
      const rate = p.computed ? p[key] : undefined;
      if (rate?.percentage === undefined) runs.push([]);
      else runs.at(-1)!.push(`${x(i).toFixed(1)},${y(rate.percentage).toFixed(1)}`);
    });
    return runs.filter((r) => r.length > 0);
  };
  return html`<figure class="govuk-!-margin-0 govuk-!-margin-bottom-6">
<svg role="img" aria-labelledby="trend-title trend-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" class="govuk-!-width-full" font-family="inherit" xmlns="http://www.w3.org/2000/svg">
  <title id="trend-title">On time, per cent, for each of the last ${points.length} months${first && last ? `, ${monthName(first.month)} to ${monthName(last.month)}` : ''}</title>
  <desc id="trend-desc">${desc}</desc>
  ${[0, 50, 100].map((pct) => html`<line x1="${left}" y1="${y(pct).toFixed(1)}" x2="${width - 10}" y2="${y(pct).toFixed(1)}" stroke="#b1b4b6" stroke-width="1"/><text x="0" y="${(y(pct) + 5).toFixed(1)}" font-size="13" fill="#0b0c0c">${pct}%</text>`)}
  ${points.map((p, i) => html`<text x="${x(i).toFixed(1)}" y="${height - bottom + 20}" font-size="12" text-anchor="middle" fill="#0b0c0c">${SHORT(p.month)}</text>`)}
  ${SERIES.map((s) =>
    line(s.key).map(
      (run) =>
        html`<polyline fill="none" stroke="${s.colour}" stroke-width="3"${s.dash ? html` stroke-dasharray="${s.dash}"` : ''} points="${run.join(' ')}"/>${run.map(
          (pt) => {
            const [cx, cy] = pt.split(',');
            return html`<circle cx="${cx}" cy="${cy}" r="3.5" fill="${s.colour}"/>`;
          },
        )}`,
    ),
  )}
</svg>
<figcaption class="govuk-body-s"><ul class="govuk-list govuk-!-margin-top-2">${SERIES.map(
    (s) =>
      html`<li><svg width="28" height="10" aria-hidden="true" focusable="false"><line x1="0" y1="5" x2="28" y2="5" stroke="${s.colour}" stroke-width="3"${s.dash ? html` stroke-dasharray="${s.dash}"` : ''}/></svg> ${s.label}</li>`,
  )}</ul></figcaption>
</figure>
<table class="govuk-table" data-testid="trend-table">
  <caption class="govuk-table__caption govuk-table__caption--s">On time each month (count of those due)</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Month</th>
    ${SERIES.map((s) => html`<th scope="col" class="govuk-table__header">${s.label}</th>`)}
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Plans open</th>
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Escalations raised</th>
  </tr></thead>
  <tbody class="govuk-table__body">${points.map((p) =>
    p.computed
      ? html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${monthName(p.month)}</th>${SERIES.map((s) => html`<td class="govuk-table__cell">${rateText(p[s.key])}</td>`)}<td class="govuk-table__cell govuk-table__cell--numeric">${p.plansOpen}</td><td class="govuk-table__cell govuk-table__cell--numeric">${p.escalationsRaised}</td></tr>`
      : html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${monthName(p.month)}</th><td class="govuk-table__cell" colspan="${SERIES.length + 2}">Not computed yet (corewatch figures backfill)</td></tr>`,
  )}</tbody>
</table>`;
}

const KIND_LABELS: Record<string, string> = {
  'first-core-group': 'First core groups',
  'core-group': 'Later core groups',
  'core-group-record': 'Core group records',
  'child-seen': 'Child seen',
  'review-conference': 'Review conferences',
  'rescheduled-core-group': 'Re-held cancelled core groups',
  'cin-meeting': 'Child in need meetings',
};

/** A kind's obligations due so far this month (services/plan-data/figures.ts counts them). */
export type MonthToDateRow = KindToDate;

function monthToDateTable(rows: MonthToDateRow[], today: string): SafeHtml {
  const monthStart = `1 ${monthName(today.slice(0, 7))}`;
  if (rows.length === 0) return html`<p class="govuk-body">Nothing has fallen due since ${monthStart}.</p>`;
  return html`<table class="govuk-table" data-testid="month-to-date">
  <caption class="govuk-table__caption govuk-table__caption--s">Due from ${monthStart} to ${today}</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Obligation</th>
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Due</th>
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">On time</th>
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Late</th>
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Overdue</th>
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Due today</th>
  </tr></thead>
  <tbody class="govuk-table__body">${rows.map(
    (r) => html`<tr class="govuk-table__row">
    <th scope="row" class="govuk-table__header">${KIND_LABELS[r.kind] ?? r.kind}${r.planType === 'child-in-need' && r.kind !== 'cin-meeting' ? ' (child in need)' : ''}</th>
    <td class="govuk-table__cell govuk-table__cell--numeric">${r.due}</td>
    <td class="govuk-table__cell govuk-table__cell--numeric">${r.met}</td>
    <td class="govuk-table__cell govuk-table__cell--numeric">${r.late}</td>
    <td class="govuk-table__cell govuk-table__cell--numeric">${r.overdue}</td>
    <td class="govuk-table__cell govuk-table__cell--numeric">${r.pending}</td>
  </tr>`,
  )}</tbody>
</table>`;
}

export interface OverviewView {
  partnershipName: string;
  month: string;
  summary: SummaryBlock[] | undefined;
  trend: TrendPoint[];
  toDate: MonthToDateRow[];
  overdueNow: number;
  today: string;
  /** Whether the reader may open the overdue list (the count links to it). */
  overdueLink: boolean;
}

export function overviewBody(v: OverviewView): SafeHtml {
  return html`<h1 class="govuk-heading-l">${v.partnershipName}</h1>
<div class="govuk-grid-row"><div class="govuk-grid-column-full">
<p class="govuk-body-l" data-testid="overdue-now">${v.overdueLink ? html`<a class="govuk-link" href="/overdue">${v.overdueNow} ${v.overdueNow === 1 ? 'open plan has' : 'open plans have'} an overdue obligation</a>` : `${v.overdueNow} ${v.overdueNow === 1 ? 'open plan has' : 'open plans have'} an overdue obligation`} today (${v.today}).</p>
</div></div>
<h2 class="govuk-heading-m">This month so far</h2>
${monthToDateTable(v.toDate, v.today)}
<h2 class="govuk-heading-m">On time, last ${v.trend.length} months</h2>
${trendChart(v.trend)}
<h2 class="govuk-heading-m">${monthName(v.month)}: the monthly audit's Summary</h2>
${
  v.summary === undefined
    ? html`<p class="govuk-body" data-testid="summary-not-computed">The figures for ${monthName(v.month)} have not been computed yet. They are stored by the monthly audit on the first working day of the month; an administrator can run <code>corewatch figures backfill</code>.</p>`
    : html`<p class="govuk-body">The Summary figures of the monthly audit workbook for ${monthName(v.month)}, the last complete month, for the partnership and each team.</p>${v.summary.map((block) => summaryTable(block, v.month))}`
}`;
}

/** What a list's filter form offers and what it was given. */
export interface ListControls {
  /** The page's own path, e.g. '/overdue'. */
  path: string;
  total: number;
  /** Links to the neighbouring pages (with the filters kept), or null at either end. */
  nextHref: string | null;
  previousHref: string | null;
  filters: { team?: string; socialWorker?: string; kind?: string; minDaysOverdue?: number };
  teams: Array<{ id: string; name: string }>;
  /** Offered only to those who may list more than their own caseload. */
  socialWorkers: Array<{ id: string; name: string }>;
  kinds: readonly string[];
}

function option(value: string, label: string, selected: string | undefined): SafeHtml {
  return html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`;
}

/** The GOV.UK filter form (GET, so a filtered list is a link) above a list. */
function filterForm(c: ListControls): SafeHtml {
  const f = c.filters;
  return html`<form method="get" action="${c.path}" class="govuk-!-margin-bottom-6" data-testid="list-filters" novalidate>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-one-quarter"><div class="govuk-form-group">
    <label class="govuk-label" for="filter-team">Team</label>
    <select class="govuk-select govuk-!-width-full" id="filter-team" name="team">${option('', 'All teams', f.team ?? '')}${c.teams.map((t) => option(t.id, t.name, f.team))}</select>
  </div></div>
  ${
    c.socialWorkers.length > 0
      ? html`<div class="govuk-grid-column-one-quarter"><div class="govuk-form-group">
    <label class="govuk-label" for="filter-social-worker">Social worker</label>
    <select class="govuk-select govuk-!-width-full" id="filter-social-worker" name="socialWorker">${option('', 'All social workers', f.socialWorker ?? '')}${c.socialWorkers.map((p) => option(p.id, p.name, f.socialWorker))}</select>
  </div></div>`
      : ''
  }
  <div class="govuk-grid-column-one-quarter"><div class="govuk-form-group">
    <label class="govuk-label" for="filter-kind">Obligation</label>
    <select class="govuk-select govuk-!-width-full" id="filter-kind" name="kind">${option('', 'All obligations', f.kind ?? '')}${c.kinds.map((k) => option(k, KIND_LABELS[k] ?? k, f.kind))}</select>
  </div></div>
  <div class="govuk-grid-column-one-quarter"><div class="govuk-form-group">
    <label class="govuk-label" for="filter-days">At least this many days overdue</label>
    <input class="govuk-input govuk-input--width-4" id="filter-days" name="minDaysOverdue" type="text" inputmode="numeric" spellcheck="false" value="${f.minDaysOverdue ?? ''}">
  </div></div>
</div>
<button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">Apply filters</button>
${Object.values(f).some((v) => v !== undefined) ? html` <a class="govuk-link govuk-!-margin-left-3" href="${c.path}">Clear filters</a>` : ''}
</form>`;
}

/** The GOV.UK pagination component: previous and next pages of a keyset-paged list. */
function pagination(c: ListControls): SafeHtml {
  if (!c.nextHref && !c.previousHref) return html``;
  return html`<nav class="govuk-pagination govuk-pagination--block" aria-label="Pages of this list">
${
  c.previousHref
    ? html`<div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="${c.previousHref}" rel="prev"><svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path></svg><span class="govuk-pagination__link-title">Previous<span class="govuk-visually-hidden"> page</span></span></a></div>`
    : ''
}
${
  c.nextHref
    ? html`<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="${c.nextHref}" rel="next"><svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path></svg><span class="govuk-pagination__link-title">Next<span class="govuk-visually-hidden"> page</span></span></a></div>`
    : ''
}
</nav>`;
}

/** A plan in a list: linked by its reference when it is the reader's own record, else its pseudonym, unlinked. */
function planCell(r: { reference: string; linked: boolean }): SafeHtml {
  return r.linked
    ? html`<a class="govuk-link" href="/plans/${encodeURIComponent(r.reference)}">${r.reference}</a>`
    : html`<span data-testid="pseudonym">${r.reference}</span>`;
}

const PSEUDONYM_NOTE = html`<p class="govuk-body-s" data-testid="pseudonym-note">Plans outside your own records are shown by pseudonym (P-…): stable from month to month, but not the plan reference.</p>`;

/** Plans the engine cannot evaluate: never silently absent from "overdue now" (issue 9). */
export interface UnevaluableList {
  rows: Array<{ reference: string; linked: boolean; team: string; reason: string }>;
  total: number;
}

function unevaluablePanel(list: UnevaluableList): SafeHtml | string {
  if (list.total === 0) return '';
  const more =
    list.total > list.rows.length ? html`<p class="govuk-body">and ${list.total - list.rows.length} more.</p>` : '';
  return html`<div class="govuk-warning-text" data-testid="unevaluable"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>${list.total} ${list.total === 1 ? 'plan cannot' : 'plans cannot'} be evaluated, so ${list.total === 1 ? 'it is' : 'they are'} not in this list whatever ${list.total === 1 ? 'it owes' : 'they owe'}. ${list.total === 1 ? 'Its' : 'Their'} recorded data needs correcting.</strong></div>
<table class="govuk-table" data-testid="unevaluable-table">
  <caption class="govuk-table__caption govuk-table__caption--s">Plans that cannot be evaluated</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Plan</th>
    <th scope="col" class="govuk-table__header">Team</th>
    <th scope="col" class="govuk-table__header">Why</th>
  </tr></thead>
  <tbody class="govuk-table__body">${list.rows.map(
    (r) => html`<tr class="govuk-table__row">
    <th scope="row" class="govuk-table__header">${planCell(r)}</th>
    <td class="govuk-table__cell">${r.team}</td>
    <td class="govuk-table__cell">${r.reason}</td>
  </tr>`,
  )}</tbody>
</table>${more}`;
}

export function overdueBody(
  rows: OverdueRow[],
  asOf: string,
  controls: ListControls,
  unevaluable: UnevaluableList = { rows: [], total: 0 },
): SafeHtml {
  const filtered = Object.values(controls.filters).some((v) => v !== undefined);
  return html`<h1 class="govuk-heading-l">Overdue now</h1>
<p class="govuk-body">Open plans with at least one obligation past its due date as of ${asOf}, most overdue first.</p>
${unevaluablePanel(unevaluable)}
${filterForm(controls)}
${
  rows.length === 0
    ? html`<p class="govuk-body" data-testid="overdue-empty">${filtered ? 'No open plan matching these filters' : 'No open plan'} has an overdue obligation as of ${asOf}.</p>`
    : html`${rows.some((r) => !r.linked) ? PSEUDONYM_NOTE : ''}
<table class="govuk-table" data-testid="overdue-table">
  <caption class="govuk-table__caption govuk-table__caption--m" data-testid="list-total">${controls.total} ${controls.total === 1 ? 'plan' : 'plans'} overdue</caption>
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
</table>`
}
${pagination(controls)}`;
}

const STATUS_TAG: Record<string, string> = {
  met: 'govuk-tag--green',
  late: 'govuk-tag--yellow',
  overdue: 'govuk-tag--red',
  pending: 'govuk-tag--blue',
};

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
  ].map(
    ([k, v]) =>
      html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${k}</dt><dd class="govuk-summary-list__value">${v}</dd></div>`,
  )}
</dl>
<h2 class="govuk-heading-m">Obligations</h2>
${
  p.evaluationError !== null
    ? html`<div class="govuk-warning-text" data-testid="cannot-evaluate"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>This plan cannot be evaluated: ${p.evaluationError}. Its recorded data needs correcting.</strong></div>`
    : ''
}
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
    <td class="govuk-table__cell"><span class="govuk-body-s" data-testid="citation">${o.citation.id}: ${o.citation.source}, ${o.citation.section}</span><br><span class="govuk-body-s">“${o.citation.quote}”</span>${o.citation.note ? html`<br><span class="govuk-body-s">Note: ${o.citation.note}</span>` : ''}${o.citation.basis === 'default' ? html`<br><strong class="govuk-tag govuk-tag--yellow" data-testid="basis-default">Default</strong> <span class="govuk-body-s">The quoted text does not give this number: see the note.</span>` : ''}</td>
  </tr>`,
  )}</tbody>
</table>
<h2 class="govuk-heading-m">Events</h2>
${
  p.events.length === 0
    ? html`<p class="govuk-body">No events recorded yet.</p>`
    : html`<ol class="govuk-list govuk-list--number">${p.events.map((e) => html`<li><strong>${e.on}</strong> ${e.type}${e.detail ? html` <span class="govuk-body-s">(${e.detail})</span>` : ''}</li>`)}</ol>`
}
<h2 class="govuk-heading-m">People</h2>
${
  p.people.length === 0
    ? html`<p class="govuk-body">No one is recorded on this plan.</p>`
    : html`<table class="govuk-table" data-testid="people">
  <caption class="govuk-table__caption govuk-visually-hidden">Who holds each role on the plan today</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Role</th>
    <th scope="col" class="govuk-table__header">Name</th>
    <th scope="col" class="govuk-table__header">Agency</th>
  </tr></thead>
  <tbody class="govuk-table__body">${p.people.map(
    (person) => html`<tr class="govuk-table__row">
    <td class="govuk-table__cell">${person.role}</td>
    <td class="govuk-table__cell">${person.name}</td>
    <td class="govuk-table__cell">${person.agency ?? ''}</td>
  </tr>`,
  )}</tbody>
</table>`
}
${
  p.peopleChanges.length === 0
    ? ''
    : html`<h3 class="govuk-heading-s">Changes</h3><ul class="govuk-list govuk-list--bullet" data-testid="people-changes">${p.peopleChanges.map((c) => html`<li><strong>${c.on}</strong> ${c.what}</li>`)}</ul>`
}
<h2 class="govuk-heading-m">Notifications sent</h2>
${
  p.notifications.length === 0
    ? html`<p class="govuk-body">No notifications sent.</p>`
    : html`<ul class="govuk-list govuk-list--bullet">${p.notifications.map((n) => html`<li>${n.sentAt ?? ''} <strong>${n.level}</strong>: ${n.subject} (to ${n.roles.join(', ')})</li>`)}</ul>`
}`;
}

export function escalationsBody(rows: EscalationRow[], controls: ListControls): SafeHtml {
  const filtered = Object.values(controls.filters).some((v) => v !== undefined);
  return html`<h1 class="govuk-heading-l">Escalations</h1>
${filterForm(controls)}
${
  rows.length === 0
    ? html`<p class="govuk-body">${filtered ? 'No escalation matches these filters.' : 'No escalations have been raised.'}</p>`
    : html`${rows.some((r) => !r.linked) ? PSEUDONYM_NOTE : ''}<table class="govuk-table">
  <caption class="govuk-table__caption govuk-table__caption--m" data-testid="list-total">${controls.total} ${controls.total === 1 ? 'escalation' : 'escalations'} and second-level escalations, newest first</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">When</th>
    <th scope="col" class="govuk-table__header">Plan</th>
    <th scope="col" class="govuk-table__header">Level</th>
    <th scope="col" class="govuk-table__header">About</th>
    <th scope="col" class="govuk-table__header">Status</th>
    <th scope="col" class="govuk-table__header">Problem</th>
  </tr></thead>
  <tbody class="govuk-table__body">${rows.map(
    (r) => html`<tr class="govuk-table__row">
    <td class="govuk-table__cell">${r.at}</td>
    <td class="govuk-table__cell">${planCell(r)}</td>
    <td class="govuk-table__cell">${r.level}</td>
    <td class="govuk-table__cell">${r.subject}</td>
    <td class="govuk-table__cell" data-testid="delivery-status">${r.status}</td>
    <td class="govuk-table__cell" data-testid="delivery-problem">${r.problem ?? ''}</td>
  </tr>`,
  )}</tbody>
</table>`
}
${pagination(controls)}`;
}

export function reportsBody(rows: ReportRow[]): SafeHtml {
  return html`<h1 class="govuk-heading-l">Monthly audit reports</h1>
<p class="govuk-body">Workbooks hold children's data: every download is logged.</p>
${
  rows.length === 0
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
    <td class="govuk-table__cell">${
      r.status === 'complete'
        ? html`<a class="govuk-link" href="/reports/${encodeURIComponent(r.id)}/download" download>Download ${monthName(r.month)} workbook (.xlsx${r.byteSize ? `, ${Math.ceil(r.byteSize / 1024)} KB` : ''})</a>`
        : 'not available'
    }</td>
  </tr>`,
  )}</tbody>
</table>`
}`;
}

/**
 * Annex A List 7 for auditors: pick a day, download the file. A GET form (it changes nothing, so it carries no CSRF
 * token); the download is logged like a workbook's.
 */
export function annexABody(options: { asOf: string; today: string }): SafeHtml {
  return html`<h1 class="govuk-heading-l">Annex A List 7</h1>
<p class="govuk-body">Ofsted's ILACS Annex A, List 7: every child on a child protection plan on the day you choose, one row per child, laid out as Ofsted's template (its 17 headers in the first row, its coded values, dates as dd/mm/yyyy). The monthly workbooks carry the same list as of each month's last day.</p>
<p class="govuk-body">The file holds children's data: every download is logged.</p>
<div class="govuk-inset-text">Check the headers and codes against the template Ofsted currently publishes before giving the file to inspectors: Ofsted revises it.</div>
<form method="get" action="/annex-a/download" novalidate>
  <div class="govuk-form-group">
    <label class="govuk-label govuk-label--s" for="asOf">Children on a plan on</label>
    <div class="govuk-hint" id="asOf-hint">A day up to today (${options.today}), as YYYY-MM-DD</div>
    <input class="govuk-input govuk-input--width-10" id="asOf" name="asOf" type="date" value="${options.asOf}" max="${options.today}" aria-describedby="asOf-hint">
  </div>
  <button type="submit" class="govuk-button" data-module="govuk-button">Download Annex A List 7 (.xlsx)</button>
</form>`;
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
${
  o.oidc
    ? html`<a href="/auth/login?returnTo=${encodeURIComponent(o.returnTo)}" role="button" draggable="false" class="govuk-button govuk-button--start" data-module="govuk-button">Sign in with your council account</a>`
    : ''
}
${
  o.demoPeople.length > 0
    ? html`<h2 class="govuk-heading-m">Demo identities</h2>
<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>These are built-in demonstration identities. Do not use them with real data.</strong></div>
<ul class="govuk-list">${o.demoPeople.map(
        (p) => html`<li><form method="post" action="/sign-in/demo" novalidate>
  ${hidden}<input type="hidden" name="personId" value="${p.personId}">
  <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-2" data-module="govuk-button">Sign in as ${p.displayName}, ${p.roles} (demo only)</button>
</form></li>`,
      )}</ul>`
    : ''
}`;
}

export interface AccessLogView {
  rows: Array<{
    at: string;
    who: string;
    action: string;
    route: string;
    planId: string | null;
    reportId: string | null;
  }>;
  /** Link to the next, older page, if any. */
  olderHref: string | null;
}

const ACTION_LABELS: Record<string, string> = {
  'plan-read': 'Read a plan',
  'workbook-download': 'Downloaded a workbook',
  'annex-a-download': 'Downloaded Annex A List 7',
  'access-log-read': 'Read the access log',
};

export function accessLogBody(view: AccessLogView): SafeHtml {
  return html`<h1 class="govuk-heading-l">Access log</h1>
<p class="govuk-body">Every read of a child's record, every workbook download and every read of this log, newest first. The log is append-only: the database refuses to change or delete it.</p>
${
  view.rows.length === 0
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
</table>`
}
${view.olderHref ? html`<p class="govuk-body"><a class="govuk-link" href="${view.olderHref}">Older entries</a></p>` : ''}`;
}

export function messageBody(title: string, message: string): SafeHtml {
  return html`<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${message}</p>`;
}
