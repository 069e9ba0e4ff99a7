/**
 * Core group attendance (domain/attendance.ts): one spelling per agency, who was present, and whether a meeting could
 * go ahead under its plan's policy (issue 10): Camden guidance/001 §4 ("Scheduled core groups must go ahead as long as
 * the social worker and one other member of the professional network is in attendance."), Barnsley guidance/004 ("A
 * Core Group should not progress without a social worker present. For Child in Need meetings however, ... the meeting
 * should still proceed"), and no quorum where the documents set none.
 */
import {
  agenciesApologising,
  agenciesPresent,
  isSocialWorker,
  judgeMeeting,
  meetingVerdictText,
  normaliseAgency,
} from '../../domain/attendance';
import { getPolicy, getPolicyVersion } from '../../domain/policies';
import type { Attendance, PlanType, PolicyId } from '../../domain/types';
import { GUIDANCE_CHECKS_RUN, GUIDANCE_DIR, guidanceText, normaliseGuidance } from '../support/guidance';

describe('normaliseAgency', () => {
  it.each([
    ['social-care', 'social-care'],
    ['Social Care', 'social-care'],
    ['  social_care ', 'social-care'],
    ['Health', 'health'],
    ['Youth  Offending\tService', 'youth-offending-service'],
    ['   ', ''],
  ])('%j is %j', (input, expected) => {
    expect(normaliseAgency(input)).toBe(expected);
  });
});

describe('isSocialWorker', () => {
  it('is a social care attendee whose role says social worker, however written', () => {
    expect(isSocialWorker({ agency: 'social-care', role: 'social worker' })).toBe(true);
    expect(isSocialWorker({ agency: 'Social Care', role: 'Social Worker' })).toBe(true);
    expect(isSocialWorker({ agency: 'social_care', role: 'social-worker' })).toBe(true);
  });

  it('is not another social care role, nor a social worker of another agency, nor an attendee with no role', () => {
    expect(isSocialWorker({ agency: 'social-care', role: 'family support worker' })).toBe(false);
    expect(isSocialWorker({ agency: 'health', role: 'social worker' })).toBe(false);
    expect(isSocialWorker({ agency: 'social-care' })).toBe(false);
  });
});

describe('agenciesPresent and agenciesApologising', () => {
  it('normalises, drops blank agencies, and counts the social worker recorded present for social care', () => {
    expect(
      [
        ...agenciesPresent({
          socialWorkerPresent: true,
          present: [{ agency: 'Police' }, { agency: ' ' }, { agency: 'police' }],
        }),
      ].sort(),
    ).toEqual(['police', 'social-care']);
    expect([...agenciesPresent({ present: [{ agency: 'Health' }] })]).toEqual(['health']);
    expect([...agenciesPresent({})]).toEqual([]);
    expect(agenciesApologising({ apologies: [{ agency: 'Education', writtenReport: true }, { agency: '' }] })).toEqual([
      'education',
    ]);
    expect(agenciesApologising({})).toEqual([]);
  });
});

/** A core group held with this attendance, judged under `policy` for a plan of `type`. */
const judge = (policy: PolicyId, attendance: Attendance | undefined, type: PlanType = 'child-protection') =>
  judgeMeeting(getPolicy(policy), type, attendance);

describe('judgeMeeting: Camden guidance/001 §4, "the social worker and one other member of the professional network"', () => {
  it('is quorate with the social worker and one other professional', () => {
    expect(judge('camden', { socialWorkerPresent: true, present: [{ agency: 'health' }] }).verdict).toBe('quorate');
    expect(
      judge('camden', {
        present: [
          { agency: 'social-care', role: 'social worker' },
          { agency: 'education', role: 'class teacher' },
        ],
      }).verdict,
    ).toBe('quorate');
    // Another social care colleague is another member of the professional network.
    expect(
      judge('camden', {
        socialWorkerPresent: true,
        present: [{ agency: 'social-care', role: 'family support worker' }],
      }).counts,
    ).toBe(true);
  });

  it('is not quorate without the social worker, and says why', () => {
    const judgement = judge('camden', { present: [{ agency: 'health' }, { agency: 'education' }] });
    expect(judgement).toMatchObject({ counts: false, verdict: 'not-quorate' });
    expect(meetingVerdictText(judgement)).toBe(
      'held, not quorate (the social worker was not recorded present): does not count',
    );
    expect(judge('camden', { socialWorkerPresent: false, present: [{ agency: 'police' }] }).counts).toBe(false);
  });

  it('is not quorate with the social worker alone, however often recorded', () => {
    expect(judge('camden', { socialWorkerPresent: true }).counts).toBe(false);
    expect(
      judge('camden', { socialWorkerPresent: true, present: [{ agency: 'social-care', role: 'social worker' }] })
        .counts,
    ).toBe(false);
    expect(
      judge('camden', {
        present: [
          { agency: 'social-care', role: 'Social Worker' },
          { agency: 'Social Care', role: 'social worker' },
        ],
      }).counts,
    ).toBe(false);
  });

  it('counts a meeting whose attendance was not recorded, saying it could not be checked', () => {
    for (const attendance of [undefined, {}, { apologies: [{ agency: 'health' }] }]) {
      expect(judge('camden', attendance)).toMatchObject({ counts: true, verdict: 'attendance-not-recorded' });
    }
  });

  it('cites Camden guidance/001 section 4', () => {
    expect(getPolicy('camden').childProtection.quorum?.rule).toMatchObject({
      source: expect.stringMatching(/guidance\/001/),
      section: '4 Attendance',
      basis: 'stated',
    });
  });
});

describe('judgeMeeting: Barnsley guidance/004, core groups need the social worker, child in need meetings do not', () => {
  it('"A Core Group should not progress without a social worker present": the social worker alone is enough', () => {
    expect(judge('barnsley', { socialWorkerPresent: true }).verdict).toBe('quorate');
    expect(judge('barnsley', { socialWorkerPresent: false, present: [{ agency: 'health' }] })).toMatchObject({
      counts: false,
      shortfall: 'the social worker was not recorded present',
    });
  });

  it('"For Child in Need meetings however ... the meeting should still proceed": one without the social worker counts', () => {
    expect(
      judge('barnsley', { socialWorkerPresent: false, present: [{ agency: 'health' }] }, 'child-in-need'),
    ).toMatchObject({
      counts: true,
      verdict: 'quorate',
    });
    expect(getPolicy('barnsley').childInNeed?.quorum?.value).toEqual({ socialWorker: false, otherProfessionals: 0 });
  });
});

describe('judgeMeeting: policies whose documents set no quorum', () => {
  it.each(['england', 'wales', 'cwm-taf', 'sandwell'] as const)(
    '%s counts every meeting, and says it has no rule',
    (id) => {
      expect(judge(id, { socialWorkerPresent: false })).toEqual({ counts: true, verdict: 'no-quorum-rule' });
      expect(meetingVerdictText(judge(id, undefined))).toBe('held (no quorum rule in this policy)');
    },
  );

  it('the rules versions from before quorum was part of each policy (2026-11-23.1) have none: their plans keep counting every meeting', () => {
    const retired = getPolicyVersion('camden', 'camden@2026-11-23.1');
    expect(judgeMeeting(retired, 'child-protection', { socialWorkerPresent: false }).counts).toBe(true);
  });
});

(GUIDANCE_CHECKS_RUN ? it : it.skip)(`quotes each quorum rule verbatim (${GUIDANCE_DIR})`, () => {
  for (const [doc, rule] of [
    ['001', getPolicy('camden').childProtection.quorum?.rule],
    ['004', getPolicy('barnsley').childProtection.quorum?.rule],
    ['004', getPolicy('barnsley').childInNeed?.quorum?.rule],
  ] as const) {
    expect(guidanceText(doc)).toContain(normaliseGuidance(rule!.quote));
  }
});
