/**
 * The guidance documents the rules quote (the brief: `../shared/guidance/`, beside the repository), for the tests that
 * check every quotation word for word. Found relative to the repository, never at a fixed path. Missing: the check
 * skips on a developer's machine that lacks them, but fails in CI (`CI` set, as .ci/run sets it), where a skipped
 * check would pass unseen.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths';

export const GUIDANCE_DIR = process.env['COREWATCH_GUIDANCE_DIR'] ?? findGuidance(REPO_ROOT);

/**
 * `../shared/guidance` beside the repository; a checkout nested deeper (a worktree, a CI clone inside a workspace)
 * finds it beside the nearest ancestor that has one. Never a fixed path.
 */
function findGuidance(repo: string): string {
  const beside = path.resolve(repo, '..', 'shared', 'guidance');
  for (let dir = path.dirname(repo); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'guidance');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return beside;
  }
}

/** Whether the quotation checks run here: the documents are present, or CI demands them (and fails without). */
export const GUIDANCE_CHECKS_RUN = existsSync(GUIDANCE_DIR) || Boolean(process.env['CI']);

/** One document's text, by its number ('001'), with mark-up emphasis and line breaks (layout, not words) removed. */
export function guidanceText(doc: string): string {
  if (!existsSync(GUIDANCE_DIR))
    throw new Error(`the guidance documents are not at ${GUIDANCE_DIR} (../shared/guidance beside the repository)`);
  const name = readdirSync(GUIDANCE_DIR).find((f) => f.startsWith(`${doc}_`));
  if (name === undefined) throw new Error(`no guidance file ${doc}_* in ${GUIDANCE_DIR}`);
  return normaliseGuidance(readFileSync(path.join(GUIDANCE_DIR, name), 'utf8'));
}

export function normaliseGuidance(text: string): string {
  return text.replace(/\*+/g, '').replace(/\s+/g, ' ');
}
