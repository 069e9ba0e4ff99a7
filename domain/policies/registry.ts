/**
 * How policies are looked up, given the policies there are: `policyRegistry(current, retired)`. The registry itself
 * is `./index.ts` (the policies as they are now, and the versions they replaced). A test that simulates a deployment
 * builds another registry from the same policy files (test/support/bumped-policies.ts). Pure, like the policies.
 */
import { PlanInputError } from '../obligations';
import type { Citation, Policy, PolicyId } from '../types';

export interface PolicyRegistry {
  readonly POLICY_IDS: readonly PolicyId[];
  readonly isPolicyId: (value: unknown) => value is PolicyId;
  /** The policy with this id, as it is now. Throws for an unknown id (validate input with `isPolicyId` first). */
  readonly getPolicy: (id: PolicyId) => Policy;
  /**
   * The rules a plan was registered under (`policy@version`); absent, the current rules (a plan recorded before
   * versions were pinned). A version this code does not know (newer than it, or a retired version dropped from
   * ./index.ts) is a PlanInputError, never a silent fall back to other rules: the plan cannot be evaluated until the
   * code that knows its rules is deployed (the workflow's task fails and retries; readers show it as not evaluable).
   * `retired` defaults to the registry's own retired versions.
   */
  readonly getPolicyVersion: (id: PolicyId, rulesVersion: string | undefined, retired?: readonly Policy[]) => Policy;
  /** `policy@version`, as recorded on plans and obligations. */
  readonly rulesVersionOf: (policy: Policy) => string;
  /**
   * The rules of a stored plan: its policy at the version it was registered under. The one reading of "the plan's
   * rules": the workflow, the read model, the plan page, the API and the workbook all evaluate with this. An unknown
   * policy id is a PlanInputError (the plan cannot be evaluated), never an exception that breaks a list.
   */
  readonly pinnedPolicy: (policyId: string, rulesVersion: string | undefined) => Policy;
}

/**
 * Every citation of a policy, in the order its file gives them: its deadlines, its quorum, the conference's cadence and
 * its escalation routes. What a reader can look up (the workbook's README sheet lists them with their basis).
 */
export function citationsOf(p: Policy): Citation[] {
  const cp = p.childProtection;
  const rules = [
    cp.firstCoreGroup,
    ...cp.laterCoreGroups,
    cp.recordCirculated,
    cp.childSeen,
    cp.rescheduleCancelled,
    cp.firstReviewConference,
    cp.laterReviewConferences,
    cp.quorum,
    p.childInNeed?.meetings,
    p.childInNeed?.recordCirculated,
    p.childInNeed?.quorum,
    p.escalation?.childProtection,
    p.escalation?.childInNeed,
    p.escalation?.accessDenied,
  ];
  const citations = rules.flatMap((r) => (r === undefined ? [] : [r.rule]));
  if (cp.conferenceCadence !== undefined) citations.push(cp.conferenceCadence);
  // One entry per id: a rule shared by two parts of a policy (Barnsley's minutes) is listed once.
  return citations.filter((c, i) => citations.findIndex((d) => d.id === c.id) === i);
}

/** `policy@version`, as recorded on plans and obligations. */
export function rulesVersionOf(policy: Policy): string {
  return `${policy.id}@${policy.version}`;
}

/**
 * A registry over `current` (every policy id, as it is now) and `retired` (earlier versions still pinned by plans
 * registered under them).
 */
export function policyRegistry(
  current: Readonly<Record<PolicyId, Policy>>,
  retired: readonly Policy[],
): PolicyRegistry {
  const POLICY_IDS: readonly PolicyId[] = Object.freeze(Object.keys(current) as PolicyId[]);

  const isPolicyId = (value: unknown): value is PolicyId =>
    typeof value === 'string' && Object.prototype.hasOwnProperty.call(current, value);

  const getPolicy = (id: PolicyId): Policy => {
    if (!isPolicyId(id)) throw new Error(`unknown policy '${String(id)}' (known: ${POLICY_IDS.join(', ')})`);
    return current[id];
  };

  const getPolicyVersion = (
    id: PolicyId,
    rulesVersion: string | undefined,
    versions: readonly Policy[] = retired,
  ): Policy => {
    const now = getPolicy(id);
    if (rulesVersion === undefined || rulesVersion === rulesVersionOf(now)) return now;
    const pinned = versions.find((p) => rulesVersionOf(p) === rulesVersion);
    if (pinned === undefined)
      throw new PlanInputError(
        'rulesVersion',
        `the plan's rules ${rulesVersion} are not known to this version of corewatch (it knows ${[now, ...versions.filter((p) => p.id === id)].map(rulesVersionOf).join(', ')})`,
      );
    return pinned;
  };

  const pinnedPolicy = (policyId: string, rulesVersion: string | undefined): Policy => {
    if (!isPolicyId(policyId))
      throw new PlanInputError('policy', `'${policyId}' is not a known policy (known: ${POLICY_IDS.join(', ')})`);
    return getPolicyVersion(policyId, rulesVersion);
  };

  return { POLICY_IDS, isPolicyId, getPolicy, getPolicyVersion, rulesVersionOf, pinnedPolicy };
}
