/**
 * A plan keeps the rules it was registered under: a rule change applies to new plans, never silently to a running
 * one (the issue: "Rule changes must not break running plans: record which rules version an obligation was
 * computed with").
 */
import { evaluatePlan } from '../../domain/obligations';
import { PlanInputError } from '../../domain/obligations';
import { getPolicy, getPolicyVersion, rulesVersionOf } from '../../domain/policies';
import type { Policy } from '../../domain/types';

const current = getPolicy('camden');
// A hypothetical earlier Camden rule: first core group within 15 working days.
const retired: Policy = {
  ...current,
  version: '2025-01-01.1',
  childProtection: {
    ...current.childProtection,
    firstCoreGroup: { ...current.childProtection.firstCoreGroup, value: { workingDays: 15 } },
  },
};

describe('getPolicyVersion', () => {
  it('gives a plan registered under an earlier version those rules, and records that version on its obligations', () => {
    const policy = getPolicyVersion('camden', 'camden@2025-01-01.1', [retired]);
    const [first] = evaluatePlan(
      { policy, plan: { type: 'child-protection', startedOn: '2026-03-02' }, events: [] },
      '2026-03-02',
    ).filter((o) => o.kind === 'first-core-group');
    expect(first).toMatchObject({ due: '2026-03-23', rulesVersion: 'camden@2025-01-01.1' }); // 15 WD after Mon 2 March
  });

  it('gives the current rules to a plan on the current version or with no version', () => {
    expect(getPolicyVersion('camden', rulesVersionOf(current), [retired])).toBe(current);
    expect(getPolicyVersion('camden', undefined, [retired])).toBe(current);
  });

  it('refuses a version it does not know rather than fall back to other rules (issue 9)', () => {
    expect(() => getPolicyVersion('camden', 'camden@1999-01-01.1', [retired])).toThrow(
      /rules camden@1999-01-01\.1 are not known to this version of corewatch/,
    );
    expect(() => getPolicyVersion('camden', 'camden@1999-01-01.1', [retired])).toThrow(PlanInputError);
  });
});
