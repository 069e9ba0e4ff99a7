/**
 * The read benchmark's load generator: virtual users signed in through the real demo sign-in form, each looping over
 * the routes with its own cookies, over undici's fetch with one keep-alive agent (one connection per user), and the
 * statistics of what they measured.
 *
 * Nothing here knows a cookie's name or the session's format: a small jar keeps whatever the server sets, as a
 * browser would. What it relies on is the sign-in form: GET /sign-in carries hidden inputs `csrf` and one form per
 * demo identity with `personId`; POST /sign-in/demo takes `csrf`, `personId` and `returnTo` and answers 303.
 */
import { Agent, fetch } from 'undici';
import { prng } from './read-history';

export interface Route {
  /** As printed and written to the results. */
  name: string;
  /** The path to ask for; `random` picks, for example, which plan. */
  path(random: () => number): string;
  /** A signed-in person's cookies, or the API token. */
  auth: 'session' | 'token';
}

export interface LoadOptions {
  base: string;
  routes: readonly Route[];
  users: number;
  /** Requests per route in the phase, shared by all users. */
  perRoute: number;
  /** Stop starting requests after this instant (epoch ms): the run is then reported as stopped early. */
  deadline: number;
  /** One request's limit: longer is a failure. */
  timeoutMs: number;
}

export interface RouteStats {
  route: string;
  requests: number;
  failures: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** Successful responses of this route per second of the phase (all users and routes running at once). */
  requestsPerSecond: number;
  meanResponseKiB: number;
}

export interface PhaseResult {
  seconds: number;
  stoppedEarly: boolean;
  routes: RouteStats[];
  /** The first few failures, for diagnosis. */
  failureExamples: Array<{ route: string; status: number | string; body: string }>;
}

/** Cookies as a browser keeps them for one site: set by any response, cleared by Max-Age=0 or an empty value. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(headers: { getSetCookie(): string[] }): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export function keepAliveAgent(users: number): Agent {
  // One connection per user, kept open between requests; no undici time limits (each request has its own signal).
  return new Agent({
    connections: users,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: 0,
    bodyTimeout: 0,
  });
}

/** The hidden inputs of a page, name to values (a page with several forms has several of one name). */
function hiddenInputs(page: string): Map<string, string[]> {
  const inputs = new Map<string, string[]>();
  for (const [tag] of page.matchAll(/<input\b[^>]*>/gi)) {
    const attributes = new Map(
      [...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), decodeEntities(m[2]!)] as const),
    );
    const name = attributes.get('name');
    if (attributes.get('type') !== 'hidden' || name === undefined) continue;
    inputs.set(name, [...(inputs.get(name) ?? []), attributes.get('value') ?? '']);
  }
  return inputs;
}

function decodeEntities(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|#39|#x27);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e] ?? _,
  );
}

/**
 * What the TLS-terminating proxy in front of corewatch adds: the dashboard only sets its Secure session cookie on a
 * request that arrived over HTTPS (HTTP_TRUST_PROXY trusts loopback, where this load generator runs).
 */
const BEHIND_TLS = { 'x-forwarded-proto': 'https' } as const;

/** Signs in as `personId` through the demo sign-in form and returns the cookies the browser would then hold. */
export async function signIn(base: string, agent: Agent, personId: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const form = await fetch(`${base}/sign-in`, { dispatcher: agent, headers: BEHIND_TLS });
  const page = await form.text();
  if (form.status !== 200) throw new Error(`GET /sign-in answered ${form.status}`);
  jar.store(form.headers);
  const inputs = hiddenInputs(page);
  const csrf = inputs.get('csrf')?.[0];
  if (!csrf) throw new Error('the sign-in page has no hidden csrf input');
  if (!inputs.get('personId')?.includes(personId)) {
    throw new Error(
      `the demo sign-in does not offer ${personId} (offered: ${(inputs.get('personId') ?? []).join(', ') || 'nobody'}); is DEMO_PARTNERSHIP the bench partnership?`,
    );
  }
  const signedIn = await fetch(`${base}/sign-in/demo`, {
    dispatcher: agent,
    method: 'POST',
    redirect: 'manual',
    headers: { ...BEHIND_TLS, 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: new URLSearchParams({ csrf, personId, returnTo: '/' }).toString(),
  });
  await signedIn.text();
  if (signedIn.status !== 303) throw new Error(`POST /sign-in/demo answered ${signedIn.status}, not 303`);
  jar.store(signedIn.headers);
  // A sign-in that did not stick would make every measured page a 401: check it once here.
  const home = await fetch(`${base}/`, {
    dispatcher: agent,
    headers: { ...BEHIND_TLS, cookie: jar.header() },
    redirect: 'manual',
  });
  await home.text();
  if (home.status !== 200) throw new Error(`signed in as ${personId}, but GET / then answered ${home.status}`);
  return jar;
}

export interface VirtualUser {
  index: number;
  jar: CookieJar;
  random: () => number;
}

export function virtualUsers(jars: CookieJar[], seed: string): VirtualUser[] {
  return jars.map((jar, index) => ({ index, jar, random: prng(`${seed}:user:${index}`) }));
}

interface Sample {
  ms: number;
  bytes: number;
}

/**
 * Every user loops over the routes (user i starting at route i), taking a ticket from the route's budget before each
 * request, until every budget is spent: the phase ends with exactly `perRoute` requests per route, with all users
 * busy until near the end. Latency is from sending the request to the last byte of the body.
 */
export async function runPhase(
  options: LoadOptions,
  users: VirtualUser[],
  agent: Agent,
  token: string,
): Promise<PhaseResult> {
  const { routes } = options;
  const tickets = routes.map(() => options.perRoute);
  const samples = routes.map((): Sample[] => []);
  const failures = routes.map(() => 0);
  const failureExamples: PhaseResult['failureExamples'] = [];
  let stoppedEarly = false;

  const claim = (r: number): boolean => {
    if (tickets[r]! <= 0) return false;
    if (Date.now() > options.deadline) {
      stoppedEarly = true;
      tickets.fill(0);
      return false;
    }
    tickets[r]! -= 1;
    return true;
  };

  const request = async (user: VirtualUser, r: number): Promise<void> => {
    const route = routes[r]!;
    const headers: Record<string, string> =
      route.auth === 'token' ? { authorization: `Bearer ${token}` } : { ...BEHIND_TLS, cookie: user.jar.header() };
    const started = performance.now();
    try {
      const response = await fetch(`${options.base}${route.path(user.random)}`, {
        dispatcher: agent,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const body = await response.text();
      const ms = performance.now() - started;
      if (route.auth === 'session') user.jar.store(response.headers);
      if (response.status === 200) {
        samples[r]!.push({ ms, bytes: Buffer.byteLength(body) });
        return;
      }
      failures[r]! += 1;
      if (failureExamples.length < 5)
        failureExamples.push({ route: route.name, status: response.status, body: body.slice(0, 300) });
    } catch (error) {
      failures[r]! += 1;
      if (failureExamples.length < 5)
        failureExamples.push({
          route: route.name,
          status: error instanceof Error ? error.name : 'error',
          body: String(error).slice(0, 300),
        });
    }
  };

  const loop = async (user: VirtualUser): Promise<void> => {
    for (let k = 0; tickets.some((t) => t > 0); k++) {
      const r = (user.index + k) % routes.length;
      if (claim(r)) await request(user, r);
    }
  };

  const started = performance.now();
  await Promise.all(users.map(loop));
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds: round(seconds, 2),
    stoppedEarly,
    routes: routes.map((route, r) => stats(route.name, samples[r]!, failures[r]!, seconds)),
    failureExamples,
  };
}

function stats(route: string, samples: Sample[], failures: number, seconds: number): RouteStats {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  // Nearest rank: the smallest latency at or above which p% of the requests fall.
  const percentile = (p: number) =>
    sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    route,
    requests: samples.length + failures,
    failures,
    p50Ms: round(percentile(50), 1),
    p95Ms: round(percentile(95), 1),
    p99Ms: round(percentile(99), 1),
    maxMs: round(sorted.at(-1) ?? NaN, 1),
    meanMs: round(sorted.length === 0 ? NaN : sum / sorted.length, 1),
    requestsPerSecond: round(samples.length / seconds, 4),
    meanResponseKiB: round(
      samples.length === 0 ? NaN : samples.reduce((a, s) => a + s.bytes, 0) / samples.length / 1024,
      1,
    ),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
