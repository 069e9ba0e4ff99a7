/**
 * The policy registry: every partnership's rules, by id. Pure data, safe to import from workflow code.
 * Adding a policy: add its file, add it to POLICIES (the `satisfies` check refuses a missing or misspelt id).
 */
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

/** The policy with this id. Throws for an unknown id (validate input with `isPolicyId` first). */
export function getPolicy(id: PolicyId): Policy {
  if (!isPolicyId(id)) throw new Error(`unknown policy '${String(id)}' (known: ${POLICY_IDS.join(', ')})`);
  return POLICIES[id];
}
