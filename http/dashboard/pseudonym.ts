/**
 * Pseudonyms for analysts' lists: a keyed hash of the plan reference (HMAC-SHA256 with PSEUDONYM_SECRET), stable so
 * an analyst can follow one plan through the months, and not reversible without the key (a plain hash of a
 * reference could be reversed by hashing every likely reference).
 */
import { createHmac } from 'node:crypto';

export function pseudonym(secret: string, planId: string): string {
  return `P-${createHmac('sha256', secret).update(`plan:${planId}`).digest('hex').slice(0, 10).toUpperCase()}`;
}
