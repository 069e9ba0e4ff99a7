/**
 * The policy registry as a deployment that bumps Camden's rules would ship it: a new current Camden version with
 * visibly different rules, and the real Camden (domain/policies/camden.ts, as it is today) kept as a retired version,
 * as domain/policies/index.ts says to do when a policy changes.
 *
 * It stands in for domain/policies/index.ts in test/integration/policy-version-bump.test.ts: through `jest.doMock`
 * in process, and through a webpack alias in a workflow bundle of its own (test/support/workflow-bundle.ts). So it
 * exports exactly what index.ts exports, and it must never import index.ts itself (under the alias that import would
 * resolve back to this file). Pure, like the domain: it is bundled into workflow code.
 */
import { barnsley } from '../../domain/policies/barnsley';
import { camden } from '../../domain/policies/camden';
import { cwmTaf } from '../../domain/policies/cwm-taf';
import { england } from '../../domain/policies/england';
import { policyRegistry, rulesVersionOf as versionOf } from '../../domain/policies/registry';
import { sandwell } from '../../domain/policies/sandwell';
import { wales } from '../../domain/policies/wales';
import type { Policy } from '../../domain/types';

/** The version string of the bumped Camden rules (the real file's version is older). */
export const BUMPED_CAMDEN_VERSION = '2026-11-24.1';

/**
 * Camden after the bump: the first core group within 5 working days of the initial conference (was 10), and the
 * second within 4 weeks of the first (was 6). Every other rule, and every citation's source, is the real one.
 */
export const BUMPED_CAMDEN: Policy = {
  ...camden,
  version: BUMPED_CAMDEN_VERSION,
  childProtection: {
    ...camden.childProtection,
    firstCoreGroup: {
      value: { workingDays: 5 },
      rule: {
        ...camden.childProtection.firstCoreGroup.rule,
        quote: 'The first core group meeting must take place within 5 working days of the initial case conference',
      },
    },
    laterCoreGroups: [
      {
        value: { weeks: 4 },
        rule: {
          ...camden.childProtection.laterCoreGroups[0]!.rule,
          quote: 'The next core group meeting should be held within 4 weeks of the first.',
        },
      },
      ...camden.childProtection.laterCoreGroups.slice(1),
    ],
  },
};

/** The real Camden rules, retired by the bump: what plans registered before it keep. */
export const RETIRED_CAMDEN: Policy = camden;
export const RETIRED_CAMDEN_RULES = versionOf(RETIRED_CAMDEN);
export const BUMPED_CAMDEN_RULES = versionOf(BUMPED_CAMDEN);

// Everything domain/policies exports, as a module standing in for it must.
export { citationsOf } from '../../domain/policies/registry';
export const { POLICY_IDS, isPolicyId, getPolicy, getPolicyVersion, rulesVersionOf, pinnedPolicy } = policyRegistry(
  { england, wales, 'cwm-taf': cwmTaf, camden: BUMPED_CAMDEN, sandwell, barnsley },
  [RETIRED_CAMDEN],
);
