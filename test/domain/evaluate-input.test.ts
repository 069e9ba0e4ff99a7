/** The public evaluate input schema: what it accepts, and how it names what it refuses. */
import {
  EvaluateInputError,
  formatPath,
  parseEvaluateInput,
  PlanEventSchema,
  RecordCirculatedSchema,
} from '../../domain/evaluate-input';

const valid = {
  policy: 'camden',
  plan: { type: 'child-protection', startedOn: '2025-02-03' },
  events: [
    { type: 'core-group-scheduled', on: '2025-02-05' },
    {
      type: 'core-group-held',
      id: 'cg-1',
      on: '2025-02-13',
      attendance: {
        present: [{ agency: 'health', role: 'health visitor' }, { agency: 'education' }],
        apologies: [{ agency: 'police', writtenReport: true }],
        socialWorkerPresent: true,
      },
      parentsPresent: true,
      childViewsRecorded: false,
    },
    { type: 'core-group-cancelled', on: '2025-03-10', reason: 'social worker ill' },
    { type: 'record-circulated', on: '2025-02-19', meetingOn: '2025-02-13' },
    { type: 'child-seen', on: '2025-02-12', seenAlone: true },
    { type: 'review-conference-held', on: '2025-04-30' },
    { type: 'non-engagement-reported', on: '2025-03-01', detail: 'no access to the home' },
    { type: 'plan-ended', on: '2025-05-01' },
  ],
};

/** The problems an input is refused for, as `path: reason` lines. */
function problems(input: unknown): string[] {
  try {
    parseEvaluateInput(input);
  } catch (error) {
    if (error instanceof EvaluateInputError) return error.problems.map((p) => `${p.path}: ${p.reason}`);
    throw error;
  }
  throw new Error('expected the input to be refused');
}

const withEvents = (...events: unknown[]) => ({ ...valid, events });

describe('parseEvaluateInput', () => {
  it('accepts every event type with its optional fields, unchanged', () => {
    expect(parseEvaluateInput(valid)).toEqual(valid);
  });

  it('accepts a plan with no events and a child in need plan', () => {
    expect(parseEvaluateInput({ ...valid, events: [] }).events).toEqual([]);
    const cin = { policy: 'barnsley', plan: { type: 'child-in-need', startedOn: '2025-09-01' }, events: [] };
    expect(parseEvaluateInput(cin).plan.type).toBe('child-in-need');
  });

  it('refuses a date that does not exist, naming the field path', () => {
    const input = withEvents(
      { type: 'core-group-held', on: '2025-02-13' },
      { type: 'child-seen', on: '2025-02-12' },
      { type: 'child-seen', on: '2025-02-30' },
    );
    expect(problems(input)).toEqual(['events[2].on: "2025-02-30" is not a real date']);
    expect(() => parseEvaluateInput(input)).toThrow('events[2].on: "2025-02-30" is not a real date');
  });

  it('refuses dates in other forms', () => {
    expect(problems({ ...valid, plan: { type: 'child-protection', startedOn: '03/02/2025' } })).toEqual([
      'plan.startedOn: "03/02/2025" is not a date in YYYY-MM-DD form',
    ]);
    expect(problems(withEvents({ type: 'child-seen', on: '2025-2-3' }))).toEqual([
      'events[0].on: "2025-2-3" is not a date in YYYY-MM-DD form',
    ]);
    expect(problems(withEvents({ type: 'record-circulated', on: '2025-02-19', meetingOn: '2025-13-01' }))).toEqual([
      'events[0].meetingOn: "2025-13-01" is not a real date',
    ]);
  });

  it('lists every offending field at once', () => {
    const input = {
      policy: 'kent',
      plan: { type: 'cp', startedOn: '2025-02-03' },
      events: [
        { type: 'core-group-hold', on: '2025-02-13' },
        { on: '2025-02-13' },
        { type: 'record-circulated', on: '2025-02-19' },
        { type: 'core-group-held', on: '2025-02-13', attendance: { present: [{ agency: '' }] }, parentPresent: true },
        'child-seen',
      ],
    };
    const lines = problems(input);
    expect(lines).toEqual([
      'policy: "kent" is not a known policy (one of england, wales, cwm-taf, camden, sandwell, barnsley)',
      'plan.type: "cp" is not a plan type (child-protection or child-in-need)',
      expect.stringMatching(
        /^events\[0\]\.type: "core-group-hold" is not an event type \(one of core-group-scheduled, /,
      ),
      expect.stringMatching(/^events\[1\]\.type: is required \(one of /),
      'events[2].meetingOn: is required',
      'events[3].attendance.present[0].agency: must not be empty',
      'events[3].parentPresent: is not a known field',
      'events[4]: must be an object, not "child-seen"',
    ]);
  });

  it('refuses documents that are not objects, and missing top-level fields', () => {
    expect(problems(null)).toEqual(['(input): must be an object, not null']);
    expect(problems([])).toEqual(['(input): must be an object, not an array']);
    expect(problems({})).toEqual([
      'policy: is required (one of england, wales, cwm-taf, camden, sandwell, barnsley)',
      'plan: is required',
      'events: is required',
    ]);
    expect(problems({ ...valid, events: {} })).toEqual(['events: must be an array, not an object']);
  });

  it('refuses wrongly typed optional fields', () => {
    expect(problems(withEvents({ type: 'child-seen', on: '2025-02-12', seenAlone: 'yes' }))).toEqual([
      'events[0].seenAlone: must be a boolean, not "yes"',
    ]);
    expect(problems(withEvents({ type: 'child-seen', on: '2025-02-12', id: '' }))).toEqual([
      'events[0].id: must not be empty',
    ]);
  });

  it('refuses a record circulated before its meeting, and a plan ending before it started', () => {
    const input = withEvents(
      { type: 'record-circulated', on: '2025-02-12', meetingOn: '2025-02-13' },
      { type: 'plan-ended', on: '2025-01-31' },
    );
    expect(problems(input)).toEqual([
      'events[0].on: record circulated on 2025-02-12, before the meeting it records (meetingOn 2025-02-13)',
      'events[1].on: the plan cannot end on 2025-01-31, before it started (plan.startedOn 2025-02-03)',
    ]);
  });

  it('exports the event schemas for the HTTP API', () => {
    expect(PlanEventSchema.safeParse({ type: 'child-seen', on: '2025-02-12' }).success).toBe(true);
    expect(RecordCirculatedSchema.safeParse({ type: 'record-circulated', on: '2025-02-12' }).success).toBe(false);
  });

  it('formats paths the way a reader writes them', () => {
    expect(formatPath(['events', 2, 'attendance', 'present', 0, 'agency'])).toBe(
      'events[2].attendance.present[0].agency',
    );
    expect(formatPath([])).toBe('(input)');
  });
});
