/**
 * The policy registry: every partnership's rules, by id. Pure data, safe to import from workflow code.
 * Adding a policy: add its file, add it to POLICIES (the `satisfies` check refuses a missing or misspelt id).
 * How a plan's rules are looked up (current, retired, pinned) is `./registry.ts`.
 */
import type { Policy, PolicyId } from '../types';
import { barnsley } from './barnsley';
import { camden } from './camden';
import { cwmTaf } from './cwm-taf';
import { england } from './england';
import { policyRegistry } from './registry';
export { citationsOf } from './registry';
import { asOf20261123 } from './retired';
import { sandwell } from './sandwell';
import { wales } from './wales';

const POLICIES = {
  england,
  wales,
  'cwm-taf': cwmTaf,
  camden,
  sandwell,
  barnsley,
} as const satisfies Record<PolicyId, Policy>;

/**
 * Earlier versions of each policy, kept so that a plan keeps the rules it started under: a rule change applies to
 * new plans, never silently to a running one (whose workflow history would no longer replay). When a policy file
 * changes, copy the old object here under its old version string, then bump `version` in the file.
 */
const RETIRED_VERSIONS: readonly Policy[] = Object.values(POLICIES).map(asOf20261123);

/** See `PolicyRegistry` (./registry.ts) for what each of these does. */
export const { POLICY_IDS, isPolicyId, getPolicy, getPolicyVersion, rulesVersionOf, pinnedPolicy } = policyRegistry(
  POLICIES,
  RETIRED_VERSIONS,
);
