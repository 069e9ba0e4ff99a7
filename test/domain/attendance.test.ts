/**
 * Core group attendance (domain/attendance.ts): one spelling per agency, who was present, and the quorum Camden
 * guidance/001 §4 sets ("Scheduled core groups must go ahead as long as the social worker and one other member of
 * the professional network is in attendance.").
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  agenciesApologising,
  agenciesPresent,
  isQuorate,
  isSocialWorker,
  normaliseAgency,
  QUORUM_RULE,
} from '../../domain/attendance';

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

describe('isQuorate (Camden guidance/001 §4)', () => {
  it('is quorate with the social worker and one other professional', () => {
    expect(isQuorate({ socialWorkerPresent: true, present: [{ agency: 'health' }] })).toBe(true);
    expect(
      isQuorate({
        present: [
          { agency: 'social-care', role: 'social worker' },
          { agency: 'education', role: 'class teacher' },
        ],
      }),
    ).toBe(true);
    // Another social care colleague is another member of the professional network.
    expect(
      isQuorate({ socialWorkerPresent: true, present: [{ agency: 'social-care', role: 'family support worker' }] }),
    ).toBe(true);
  });

  it('is not quorate without the social worker', () => {
    expect(isQuorate({ present: [{ agency: 'health' }, { agency: 'education' }] })).toBe(false);
    expect(isQuorate({ socialWorkerPresent: false, present: [{ agency: 'police' }] })).toBe(false);
  });

  it('is not quorate with the social worker alone, however often recorded', () => {
    expect(isQuorate({ socialWorkerPresent: true })).toBe(false);
    expect(isQuorate({ socialWorkerPresent: true, present: [{ agency: 'social-care', role: 'social worker' }] })).toBe(
      false,
    );
    expect(
      isQuorate({
        present: [
          { agency: 'social-care', role: 'Social Worker' },
          { agency: 'Social Care', role: 'social worker' },
        ],
      }),
    ).toBe(false);
  });

  it('cites Camden guidance/001 section 4', () => {
    expect(QUORUM_RULE).toMatchObject({ source: expect.stringMatching(/guidance\/001/), section: '4 Attendance' });
  });

  const GUIDANCE_DIR = process.env.COREWATCH_GUIDANCE_DIR ?? '/work/shared/guidance';
  (existsSync(GUIDANCE_DIR) ? it : it.skip)(`quotes it verbatim (${GUIDANCE_DIR})`, () => {
    const name = readdirSync(GUIDANCE_DIR).find((f) => f.startsWith('001_'));
    if (name === undefined) throw new Error(`no guidance file 001_* in ${GUIDANCE_DIR}`);
    // Mark-up emphasis and line breaks are layout, not words (as the policies' test compares them).
    const text = readFileSync(join(GUIDANCE_DIR, name), 'utf8').replace(/\*+/g, '').replace(/\s+/g, ' ');
    expect(text).toContain(QUORUM_RULE.quote);
  });
});
