/**
 * The citation ids the Summary and the README name for a rule ("camden/first-core-group, england/first-core-group"):
 * what a reader looks up in domain/policies/, where each id carries its source and quotation.
 */
import { ESCALATION_RULES } from '../domain/notifications';
import { getPolicy, POLICY_IDS } from '../domain/policies';
import type { Policy } from '../domain/types';

/** Distinct ids, sorted, comma-separated; absent ones (a rule a policy does not set) left out. */
export function joinIds(ids: Iterable<string | undefined>): string {
  return [...new Set([...ids].filter((id): id is string => id !== undefined))].sort().join(', ');
}

/** The ids of one rule across every policy as it is now (the README describes today's rules). */
export function policyRuleIds(pick: (policy: Policy) => ReadonlyArray<string | undefined>): string {
  return joinIds(POLICY_IDS.flatMap((id) => pick(getPolicy(id))));
}

/** The ladder's two escalation rules: a missed deadline, and reported non-engagement. */
export const ESCALATION_IDS = joinIds([ESCALATION_RULES.missedDeadline.id, ESCALATION_RULES.nonEngagement.id]);

/** The quorum rules of every policy (child protection core groups and child in need meetings). */
export const QUORUM_IDS = policyRuleIds((p) => [p.childProtection.quorum?.rule.id, p.childInNeed?.quorum?.rule.id]);
