/**
 * The column mapping for a case-system extract (Mosaic, Liquidlogic, Eclipse...): which source column holds each part
 * of a plan event. A JSON file, validated with zod; errors name the mapping field, e.g. `eventDate.dateFormat: ...`.
 *
 *   { "planReference": "CP Ref",
 *     "eventType": { "column": "Activity", "values": { "CG": "core-group-held", "VISIT": "child-seen" } },
 *     "eventDate": { "column": "Date", "dateFormat": "DD/MM/YYYY" },
 *     "eventId": "Activity ID", "seenAlone": "Seen Alone", "detail": "Notes" }
 *
 * Issue 10's events take their fields from `person`, `role`, `agency`, `team` and `interval` columns.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { formatPath } from '../../domain/evaluate-input';
import { PLAN_EVENT_TYPES, type PlanEventType } from '../../domain/types';

const column = z.string().min(1, { error: 'must name a column' });
const eventType = z.enum(PLAN_EVENT_TYPES as [PlanEventType, ...PlanEventType[]], {
  error: (issue) => `${JSON.stringify(issue.input)} is not an event type (one of ${PLAN_EVENT_TYPES.join(', ')})`,
});

export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export const MappingSchema = z.strictObject({
  planReference: column,
  eventType: z.strictObject({
    column,
    /** The case system's codes → corewatch event types. Without it the column must hold corewatch types. */
    values: z.record(z.string(), eventType).exactOptional(),
  }),
  eventDate: z.strictObject({ column, dateFormat: z.enum(DATE_FORMATS) }),
  eventId: column.exactOptional(),
  /** record-circulated: the meeting the record is of (same date format as eventDate). */
  meetingOn: column.exactOptional(),
  /** child-seen. Y/N, Yes/No, true/false, 1/0. */
  seenAlone: column.exactOptional(),
  /** core-group-held. Y/N, Yes/No, true/false, 1/0. */
  parentsPresent: column.exactOptional(),
  /** non-engagement-reported: detail; core-group-cancelled: reason. */
  detail: column.exactOptional(),
  /** worker-allocated, member-joined, member-left: the person's id (as in the directory). */
  person: column.exactOptional(),
  /** worker-allocated: the role passed on (social-worker, team-manager, conference-chair, head-of-service). */
  role: column.exactOptional(),
  /** member-joined, member-left: the member's agency; access-denied: the agency denied access. */
  agency: column.exactOptional(),
  /** team-changed: the team's id. */
  team: column.exactOptional(),
  /** cadence-set: the interval the conference set, as '4 weeks', '28 days' or '1 month'. */
  interval: column.exactOptional(),
});

export type Mapping = z.infer<typeof MappingSchema>;

export class MappingError extends Error {
  override readonly name = 'MappingError';
}

/** Validates a parsed mapping; throws MappingError with one `field: reason` per line. */
export function parseMapping(json: unknown): Mapping {
  const parsed = MappingSchema.safeParse(json, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new MappingError(
    parsed.error.issues
      .flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => `${formatPath([...issue.path, key])}: is not a known mapping field`)
          : [`${formatPath(issue.path)}: ${issue.input === undefined ? 'is required' : issue.message}`],
      )
      .join('\n'),
  );
}

/** Reads and validates a mapping file. Throws MappingError for an unreadable file, bad JSON or a bad mapping. */
export function loadMapping(file: string): Mapping {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new MappingError(`cannot read mapping file ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MappingError(`mapping file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseMapping(json);
  } catch (error) {
    throw new MappingError(`mapping file ${file}:\n${(error as Error).message}`);
  }
}
