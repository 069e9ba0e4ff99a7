/**
 * The policy registry: every partnership's rules, by id. Pure data, safe to import from workflow code.
 * Adding a policy: add its file, add it to POLICIES (the `satisfies` check refuses a missing or misspelt id).
 */
import { PlanInputError } from '../obligations';
import type { Policy, PolicyId } from '../types';
import { barnsley } from './barnsley';
import { camden } from './camden';
import { cwmTaf } from './cwm-taf';
import { england } from './england';
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

export const POLICY_IDS: readonly PolicyId[] = Object.freeze(Object.keys(POLICIES) as PolicyId[]);

export function isPolicyId(value: unknown): value is PolicyId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(POLICIES, value);
}

/** The policy with this id, as it is now. Throws for an unknown id (validate input with `isPolicyId` first). */
export function getPolicy(id: PolicyId): Policy {
  if (!isPolicyId(id)) throw new Error(`unknown policy '${String(id)}' (known: ${POLICY_IDS.join(', ')})`);
  return POLICIES[id];
}

/**
 * Earlier versions of each policy, kept so that a plan keeps the rules it started under: a rule change applies to
 * new plans, never silently to a running one (whose workflow history would no longer replay). When a policy file
 * changes, copy the old object here under its old version string, then bump `version` in the file.
 */
const RETIRED_VERSIONS: readonly Policy[] = [];

/** `policy@version`, as recorded on plans and obligations. */
export function rulesVersionOf(policy: Policy): string {
  return `${policy.id}@${policy.version}`;
}

/**
 * The rules a plan was registered under (`policy@version`). Unknown or absent: the current rules (a plan recorded
 * before versions were pinned, or a version newer than this code knows, which would be a deployment error).
 */
export function getPolicyVersion(
  id: PolicyId,
  rulesVersion: string | undefined,
  retired: readonly Policy[] = RETIRED_VERSIONS,
): Policy {
  const current = getPolicy(id);
  if (rulesVersion === undefined || rulesVersion === rulesVersionOf(current)) return current;
  return retired.find((p) => rulesVersionOf(p) === rulesVersion) ?? current;
}

/**
 * The rules of a stored plan: its policy at the version it was registered under. The one reading of "the plan's
 * rules": the workflow, the read model, the plan page, the API and the workbook all evaluate with this. An unknown
 * policy id is a PlanInputError (the plan cannot be evaluated), never an exception that breaks a list.
 */
export function pinnedPolicy(policyId: string, rulesVersion: string | undefined): Policy {
  if (!isPolicyId(policyId)) throw new PlanInputError('policy', `'${policyId}' is not a known policy (known: ${POLICY_IDS.join(', ')})`);
  return getPolicyVersion(policyId, rulesVersion);
}
