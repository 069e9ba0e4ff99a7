/**
 * Earlier versions of the policies, kept so that a plan keeps the rules it was registered under (./index.ts
 * RETIRED_VERSIONS): a rule change applies to new plans and never rewrites a running one's deadlines, whose workflow
 * history must still replay.
 *
 * 2026-11-23.1, every policy: before issue 10 made quorum, the conference-set cadence and the escalation routes part
 * of each policy, and before Barnsley's minutes were read as five calendar days. Written as what the current policy
 * was without those changes; test/domain/policy-versions.test.ts pins every value of these versions, so a later edit
 * of a current policy that leaked into them would fail there.
 */
import type { Policy, RecordRule } from '../types';
import { BARNSLEY_MINUTES } from './barnsley';

const VERSION_2026_11_23 = '2026-11-23.1';

/** Barnsley's minutes as 2026-11-23.1 read them: five working days, met by the record being circulated. */
const BARNSLEY_MINUTES_2026_11_23: RecordRule = {
  value: { workingDays: 5 },
  rule: {
    ...BARNSLEY_MINUTES.rule,
    note:
      "'Within five days' read as 5 working days, as every other record deadline here. Strictly it is the note-taker's " +
      'copy to the social worker, who then disseminates the minutes; corewatch tracks the record being circulated.',
  },
};

/** `current` as it was at 2026-11-23.1. */
export function asOf20261123(current: Policy): Policy {
  const childProtection = { ...current.childProtection };
  delete childProtection.quorum;
  delete childProtection.conferenceCadence;
  const retired: Policy = { id: current.id, name: current.name, version: VERSION_2026_11_23, childProtection };
  if (current.childInNeed !== undefined) {
    const childInNeed = { ...current.childInNeed };
    delete childInNeed.quorum;
    retired.childInNeed = childInNeed;
  }
  if (current.id === 'barnsley') {
    retired.childProtection.recordCirculated = BARNSLEY_MINUTES_2026_11_23;
    if (retired.childInNeed) retired.childInNeed.recordCirculated = BARNSLEY_MINUTES_2026_11_23;
  }
  return retired;
}
