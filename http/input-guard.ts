/**
 * The input policy (domain/input-policy.ts) applied to every request before any route sees it, API and dashboard
 * alike, so no route can forget it:
 *  - JSON bodies are parsed by our own parser: a key repeated in one object is refused naming it (with JSON.parse the
 *    last value silently wins: `"type":"child-seen","type":"plan-ended"` once ended a plan), and so is a string, or a
 *    key, that cannot be stored (NUL, other control characters, an unpaired surrogate), with its path. The value is
 *    then produced by Fastify's own JSON parser, which keeps its protection against prototype poisoning.
 *  - path segments, query values and form fields are checked for the same characters before validation.
 * A refusal is a 400 through the app's one error path (http/errors.ts): JSON for the API, a page for the dashboard.
 */
import { parse, type AnyNode } from '@humanwhocodes/momoa';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatPath } from '../domain/evaluate-input';
import { findUnsafeText, unsafeTextReason } from '../domain/input-policy';
import { Refusal } from '../domain/refusal';

export function registerInputGuard(app: FastifyInstance): void {
  const fastifyJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text.length > 0) {
      let problem: Refusal | undefined;
      try {
        problem = jsonProblem(parse(text, { mode: 'json' }).body, []);
      } catch {
        // Not JSON at all: Fastify's parser below says so in its own words (a 400).
      }
      if (problem) {
        done(problem, undefined);
        return;
      }
    }
    // Fastify's parser answers through `done`; its return value carries nothing.
    void fastifyJson(request, text, done);
  });

  app.addHook('preValidation', async (request: FastifyRequest) => {
    for (const [where, value] of [
      ['path', request.params],
      ['query', request.query],
      // JSON bodies were checked as they were parsed; forms (the dashboard) are checked here.
      ['body', request.headers['content-type']?.startsWith('application/json') ? undefined : request.body],
    ] as const) {
      const found = findUnsafeText(value);
      if (found)
        throw new Refusal('invalid', found.path.length === 0 ? `(${where})` : formatPath(found.path), found.reason);
    }
  });
}

/** The first duplicate key or unstorable string in a parsed JSON document, as a refusal naming its path. */
function jsonProblem(node: AnyNode, path: ReadonlyArray<string | number>): Refusal | undefined {
  switch (node.type) {
    case 'String': {
      const reason = unsafeTextReason(node.value);
      return reason === undefined ? undefined : new Refusal('invalid', pathOf(path), reason);
    }
    case 'Array':
      for (const [i, element] of node.elements.entries()) {
        const found = jsonProblem(element.value, [...path, i]);
        if (found) return found;
      }
      return undefined;
    case 'Object': {
      const names = new Set<string>();
      for (const member of node.members) {
        const name = member.name.type === 'String' ? member.name.value : member.name.name;
        const at = [...path, name];
        const reason = unsafeTextReason(name);
        if (reason !== undefined) return new Refusal('invalid', pathOf(at), `its name ${reason}`);
        if (names.has(name))
          return new Refusal(
            'invalid',
            pathOf(at),
            'is given more than once in the same object (a key must be unique)',
          );
        names.add(name);
        const found = jsonProblem(member.value, at);
        if (found) return found;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function pathOf(path: ReadonlyArray<string | number>): string {
  return path.length === 0 ? '(body)' : formatPath(path);
}
