/**
 * The dashboard's pages as an OpenAPI 3.1 document, for the fuzzer only: the pages are not an API and are not
 * published (the API's document at /api/v1/openapi.json hides them). Written from http/dashboard/*.ts: every route,
 * its path and query parameters, its form fields and every status it can answer, each with the media type it is
 * answered in (pages are text/html; redirects have no body). `dashboardRoutesMissing` holds it to the routes the app
 * actually registers, so a page added without a line here fails the fuzz run rather than going unfuzzed.
 *
 * Signing in is a session cookie (`cw_session`, declared as the security scheme, so the fuzzer's auth checks can take
 * it away); forms also need the CSRF secret cookie and its token. Both are this run's, so the document is built per
 * suite: the CSRF cookie and token are declared as the only values a form accepts (`const`), which is exactly what
 * the server checks, so positive cases pass the check and negative ones are forged.
 */
import { ID_MAX, ID_PATTERN, TEXT_PATTERN } from '../../domain/input-policy';
import { OBLIGATION_KINDS } from '../../domain/types';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../http/dashboard/session';

// Plain JSON: openapi-types' 3.1 types do not compose under exactOptionalPropertyTypes, and schemathesis validates
// the document itself when it loads it.
type Json = { [key: string]: unknown };
type Operation = Json;
type Responses = Record<number, Json>;
type Parameter = {
  name: string;
  in: 'path' | 'query' | 'cookie';
  required: boolean;
  schema: Json;
  description?: string;
};
export interface OpenApiDocument {
  openapi: string;
  info: Json;
  components: Json;
  paths: Record<string, Record<string, Operation>>;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HTML = { 'text/html': { schema: { type: 'string' } } } as const;
const JSON_ERROR = { 'application/json': { schema: { type: 'object' } } } as const;
const page = (description: string): Json => ({ description, content: HTML });
const redirect = (description: string): Json => ({
  description,
  headers: { location: { required: true, schema: { type: 'string' } } },
});

/** What every page can answer besides its own statuses: a NUL or unpaired surrogate anywhere (http/input-guard.ts). */
const ALWAYS: Responses = {
  400: page('A path segment, query value or form field that cannot be stored (NUL, a control character, ...)'),
};
/** A page that needs a signed-in person. */
const SIGNED_IN: Responses = {
  ...ALWAYS,
  401: page('Not signed in (or the session ended): the sign-in page, which returns here afterwards'),
};
/** A page that needs a role: 403 for a signed-in person without it. */
const ROLE: Responses = { ...SIGNED_IN, 403: page("Signed in, but the person's roles do not include this page") };
/** The sign-in routes, rate limited per client address (SIGN_IN_RATE_LIMIT a minute). */
const LIMITED: Responses = { ...ALWAYS, 429: page('Too many sign-in attempts from this address; wait a minute') };

const id = { type: 'string', pattern: ID_PATTERN.source, minLength: 1, maxLength: ID_MAX } as const;
/** Any text the input policy accepts in a path, query or form (http/input-guard.ts refuses control characters). */
const text = { type: 'string', pattern: TEXT_PATTERN } as const;
const someText = { ...text, minLength: 1 } as const;
/** A date as the input policy holds it (domain/input-policy.ts). */
const DATE_PATTERN = '^(19|20|21)\\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';
const blank = { type: 'string', const: '' } as const;
const query = (name: string, schema: Json, description: string): Parameter => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
});
/** A list's page cursor: opaque base64url (services/plan-data/lists.ts); one the list did not give out is a 400. */
const cursor = { type: 'string', pattern: '^[A-Za-z0-9_-]+$', minLength: 1, maxLength: 1000 } as const;
/** The filter form of a list page submits every field, blank when unused (http/dashboard/list-query.ts). */
const LIST_QUERY: Parameter[] = [
  query('team', { anyOf: [blank, id] }, 'only plans of this team'),
  query('socialWorker', { anyOf: [blank, id] }, 'only plans whose social worker is this person'),
  query('kind', { anyOf: [blank, { type: 'string', enum: [...OBLIGATION_KINDS] }] }, 'an obligation kind'),
  query('minDaysOverdue', { anyOf: [blank, { type: 'integer', minimum: 1, maximum: 36500 }] }, 'days overdue'),
  query('after', cursor, 'the page after this one (a link on the page; opaque)'),
  query('before', cursor, 'the page before this one (a link on the page; opaque)'),
];
const returnTo = query('returnTo', text, 'where to go after signing in (only a path on this site)');

export interface DashboardDocumentOptions {
  title: string;
  /** This run's CSRF secret cookie (its signed value, as the browser holds it) and a token made from it. */
  csrf: { cookie: string; token: string };
  /** The demo identities the sign-in page offers. */
  demoPeople: readonly string[];
}

export function dashboardDocument(options: DashboardDocumentOptions): OpenApiDocument {
  const csrfCookie: Parameter = {
    name: CSRF_COOKIE,
    in: 'cookie',
    required: true,
    description: 'the CSRF secret, a signed cookie set with the form',
    schema: { type: 'string', const: options.csrf.cookie },
  };
  const form = (properties: Record<string, Json>, required: string[]) => ({
    required: true,
    content: {
      'application/x-www-form-urlencoded': {
        schema: {
          type: 'object',
          properties: { csrf: { type: 'string', const: options.csrf.token }, ...properties },
          required: ['csrf', ...required],
          // Other fields are ignored, but like every form field must be text the input policy accepts.
          propertyNames: text,
          additionalProperties: text,
        },
      },
    },
  });
  const signedIn = [{ session: [] }];
  // Signing in (again, as someone else) and out work with a session or without one: the signed-in suites send theirs,
  // so a sign-out really ends a session (test/fuzz/run.ts stores it again for the suite's next request).
  const signedInOrNot = [{ session: [] }, {}];
  const listPage = (summary: string): Operation => ({
    summary,
    security: signedIn,
    parameters: LIST_QUERY,
    responses: { 200: page(summary), ...ROLE },
  });

  const paths: OpenApiDocument['paths'] = {
    '/': {
      get: {
        summary: 'The overview: figures, the trend, last month',
        security: signedIn,
        responses: {
          200: page('The overview'),
          303: redirect("To the person's home page when their roles do not include the figures"),
          ...ROLE,
          404: page('The partnership is not set up'),
        },
      },
    },
    '/overdue': { get: listPage('Overdue now (and plans that cannot be evaluated)') },
    '/escalations': { get: listPage('Escalations sent') },
    '/plans/{planId}': {
      get: {
        summary: "A plan's timeline",
        security: signedIn,
        parameters: [{ name: 'planId', in: 'path', required: true, schema: id }],
        responses: {
          200: page("The plan's timeline"),
          ...ROLE,
          404: page('No such plan in the partnership'),
        },
      },
    },
    '/reports': {
      get: { summary: 'The monthly workbooks', security: signedIn, responses: { 200: page('Workbooks'), ...ROLE } },
    },
    '/reports/{id}/download': {
      get: {
        summary: 'Download a workbook',
        security: signedIn,
        parameters: [{ name: 'id', in: 'path', required: true, schema: someText }],
        responses: {
          200: { description: 'The workbook', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } },
          ...ROLE,
          404: page('No such complete workbook in the partnership'),
        },
      },
    },
    '/annex-a': {
      get: {
        summary: 'Annex A List 7: the page to download it',
        security: signedIn,
        responses: { 200: page('Annex A List 7'), ...ROLE },
      },
    },
    '/annex-a/download': {
      get: {
        summary: 'Download Annex A List 7 as of a day (default today)',
        security: signedIn,
        parameters: [
          query(
            'asOf',
            { anyOf: [blank, { type: 'string', format: 'date', pattern: DATE_PATTERN }] },
            'the day (YYYY-MM-DD, not after today; blank: today)',
          ),
        ],
        responses: {
          200: { description: 'Annex A List 7', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } },
          ...ROLE,
          400: page('asOf is not a date corewatch holds'),
          422: page('asOf is after today, or a day that does not exist'),
        },
      },
    },
    '/access-log': {
      get: {
        summary: 'The access log',
        security: signedIn,
        parameters: [query('before', text, 'the page of older entries (opaque; one it did not give out is ignored)')],
        responses: { 200: page('The access log'), ...ROLE },
      },
    },
    '/sign-in': {
      get: {
        summary: 'The sign-in page',
        security: signedInOrNot,
        parameters: [returnTo],
        responses: { 200: page('The sign-in page'), ...ALWAYS, 404: page('No way to sign in is set up here') },
      },
    },
    '/sign-in/demo': {
      post: {
        summary: 'Sign in as a built-in demo identity (not in production)',
        security: signedInOrNot,
        parameters: [csrfCookie],
        requestBody: form({ personId: { type: 'string', enum: [...options.demoPeople] }, returnTo: text }, [
          'personId',
        ]),
        responses: {
          303: redirect('Signed in: to returnTo (a path on this site) or the overview'),
          ...LIMITED,
          403: page('Not a demo identity, or the form expired (CSRF)'),
          404: page('No demo sign-in here (production)'),
          413: page('The form is over 4 KiB'),
          415: page('Not a form'),
        },
      },
    },
    '/sign-out': {
      post: {
        summary: 'Sign out: the session ends on the server',
        security: signedInOrNot,
        parameters: [csrfCookie],
        requestBody: form({}, []),
        responses: {
          303: redirect('To the sign-in page; with a forged form, to the overview, still signed in'),
          ...ALWAYS,
          413: page('The form is over 4 KiB'),
          415: page('Not a form'),
        },
      },
    },
    '/auth/login': {
      get: {
        summary: 'Start an OpenID Connect sign-in',
        security: [],
        parameters: [returnTo],
        responses: {
          303: redirect('To the identity provider'),
          ...LIMITED,
          404: page('OpenID Connect is not set up here'),
          503: page('The identity provider cannot be reached'),
        },
      },
    },
    '/auth/callback': {
      get: {
        summary: "The identity provider's return",
        security: [],
        parameters: [query('code', text, 'from the provider'), query('state', text, 'from the provider')],
        responses: {
          303: redirect('Signed in: back to the page asked for'),
          ...LIMITED,
          401: page('The sign-in failed, expired or was started elsewhere'),
          404: page('OpenID Connect is not set up here'),
        },
      },
    },
    '/assets/govuk-frontend.min.css': {
      get: {
        summary: 'The stylesheet',
        security: [],
        responses: { 200: { description: 'CSS', content: { 'text/css': { schema: { type: 'string' } } } }, ...ALWAYS },
      },
    },
    '/assets/{file}': {
      get: {
        summary: "govuk-frontend's fonts, images and manifest",
        security: [],
        parameters: [{ name: 'file', in: 'path', required: true, schema: someText }],
        // Static files, outside the pages' scope: their refusals are the app's JSON error bodies, not pages.
        responses: {
          200: { description: 'The file', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
          400: { description: 'A control character in the path', content: JSON_ERROR },
          // @fastify/static (send) refuses a path it will not resolve (a backslash, `..`) as outside the assets.
          403: { description: 'A path outside the assets', content: JSON_ERROR },
          404: { description: 'No such file', content: JSON_ERROR },
        },
      },
    },
  };

  return {
    openapi: '3.1.0',
    info: { title: options.title, version: '1.0.0', description: 'The dashboard pages (text/html), for the fuzzer.' },
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    paths,
  };
}

/**
 * The app's routes (method and URL pattern, as Fastify registered them) that are neither the API nor described
 * here. HEAD is served with GET; `/assets/*` is `/assets/{file}`.
 */
export function dashboardRoutesMissing(
  routes: ReadonlyArray<{ method: string; url: string }>,
  document: OpenApiDocument,
): string[] {
  const described = new Set<string>();
  for (const [path, item] of Object.entries(document.paths))
    for (const method of Object.keys(item))
      described.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
  return routes
    .filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/api/'))
    .map((r) => `${r.method} ${r.url === '/assets/*' ? '/assets/:file' : r.url}`)
    .filter((route) => !described.has(route));
}
