/**
 * A dashboard list's query string: its filters (team, social worker, obligation kind, days overdue) and its page
 * cursor, validated at the edge like every other input (a bad value is a 400 naming the field, never a 500), and the
 * links to the neighbouring pages that keep the filters.
 */
import { z } from 'zod';
import { formatPath } from '../../domain/evaluate-input';
import { identifierSchema } from '../../domain/input-policy';
import { Refusal } from '../../domain/refusal';
import { OBLIGATION_KINDS } from '../../domain/types';
import type { ListFilters, Page, PageRequest } from '../../services/plan-data';

export const LIST_PAGE_SIZE = 50;

const id = identifierSchema();
const blankAsAbsent = (value: unknown) => (value === '' ? undefined : value);

const ListQuerySchema = z.strictObject({
  team: z.preprocess(blankAsAbsent, id.optional()),
  socialWorker: z.preprocess(blankAsAbsent, id.optional()),
  kind: z.preprocess(
    blankAsAbsent,
    z.enum(OBLIGATION_KINDS, { error: `must be one of ${OBLIGATION_KINDS.join(', ')}` }).optional(),
  ),
  minDaysOverdue: z.preprocess(
    blankAsAbsent,
    z.coerce
      .number({ error: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1')
      .max(36500)
      .optional(),
  ),
  after: z.string().min(1).max(1000).optional(),
  before: z.string().min(1).max(1000).optional(),
});

export interface ListQuery {
  filters: ListFilters;
  page: PageRequest;
  /** The filters as given, for the form and the links. */
  shown: { team?: string; socialWorker?: string; kind?: string; minDaysOverdue?: number };
}

/** Parses a list's query string; a bad one is a Refusal ('invalid', the field). */
export function parseListQuery(query: unknown): ListQuery {
  const parsed = ListQuerySchema.safeParse(query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.code === 'unrecognized_keys' ? (issue.keys[0] ?? '(query)') : formatPath(issue.path);
    throw new Refusal(
      'invalid',
      field,
      issue.code === 'unrecognized_keys' ? 'is not a filter of this list' : issue.message,
    );
  }
  const q = parsed.data;
  const shown = {
    ...(q.team !== undefined ? { team: q.team } : {}),
    ...(q.socialWorker !== undefined ? { socialWorker: q.socialWorker } : {}),
    ...(q.kind !== undefined ? { kind: q.kind } : {}),
    ...(q.minDaysOverdue !== undefined ? { minDaysOverdue: q.minDaysOverdue } : {}),
  };
  const filters: ListFilters = {
    ...(q.team !== undefined ? { teamId: q.team } : {}),
    ...(q.socialWorker !== undefined ? { socialWorkerId: q.socialWorker } : {}),
    ...(q.kind !== undefined ? { kind: q.kind } : {}),
    ...(q.minDaysOverdue !== undefined ? { minDaysOverdue: q.minDaysOverdue } : {}),
  };
  const page: PageRequest = {
    limit: LIST_PAGE_SIZE,
    ...(q.after !== undefined ? { after: q.after } : {}),
    ...(q.before !== undefined ? { before: q.before } : {}),
  };
  return { filters, page, shown };
}

/** Links to the page before and after `page`, keeping the filters. */
export function pageLinks(
  path: string,
  shown: ListQuery['shown'],
  page: Page<unknown>,
): { nextHref: string | null; previousHref: string | null } {
  const href = (cursor: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(shown)) if (value !== undefined) params.set(key, String(value));
    for (const [key, value] of Object.entries(cursor)) params.set(key, value);
    return `${path}?${params.toString()}`;
  };
  return {
    nextHref: page.next === null ? null : href({ after: page.next }),
    previousHref: page.previous === null ? null : href({ before: page.previous }),
  };
}
