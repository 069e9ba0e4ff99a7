/**
 * The fuzz harness's witness that a refused request stored nothing: after every response is produced (Fastify's
 * onSend, before a byte reaches the client), a fingerprint of every table a write can touch, compared with the one
 * taken after the previous response. Requests are sequential (the fuzzer runs one worker, and an overlap is counted
 * and fails the run), and nothing else writes to the database while the fuzzer runs (no relay, no workflows), so the
 * difference between two consecutive fingerprints is what that one request stored.
 *
 * A request answered 4xx or 5xx that changed any watched table is a failure, named with its method, URL and status.
 * The access log is watched on its own: it grows when a read succeeds, never on a refused request. Accepted writes
 * that changed rows are counted too: they show the witness sees writes at all (a check that cannot fail proves
 * nothing).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Client } from 'pg';

/** Every table an API write or a dashboard form can reach (sessions aside: signing in and out is their purpose). */
export const WATCHED_TABLES = [
  'Plan',
  'Child',
  'PlanRole',
  'PlanEvent',
  'EventDelivery',
  'Obligation',
  'RuleCitation',
  'Notification',
  'MonthlyFigure',
  'MonthlyReport',
  'Partnership',
  'Team',
  'Person',
  'TeamMember',
  'PartnershipMember',
  'ApiToken',
] as const;

/** Per table: row count and an md5 of all rows' text in a stable order. */
type Fingerprint = Map<string, string>;

// ApiToken's lastUsedAt is stamped by a successful authentication (at most once a minute): it is not a write a
// request makes, so the token table is fingerprinted without it.
const ROW_TEXT: Partial<Record<(typeof WATCHED_TABLES)[number], string>> = {
  ApiToken: `(x.id, x.name, x."partnershipId", x.scopes, x."tokenHash", x."createdAt", x."revokedAt")::text`,
};

const FINGERPRINT_SQL = WATCHED_TABLES.map((table) => {
  const row = ROW_TEXT[table] ?? 'x::text';
  const digest = `md5(coalesce(string_agg(${row}, E'\\n' ORDER BY ${row}), ''))`;
  return `SELECT '${table}' AS t, count(*)::text || ':' || ${digest} AS f FROM "${table}" x`;
}).join(' UNION ALL ');

export interface RejectedWrite {
  suite: string;
  method: string;
  url: string;
  status: number;
  tables: string[];
}

export interface SuiteTally {
  requests: number;
  statuses: Map<number, number>;
  /** Accepted (2xx/3xx) requests that changed a watched table. */
  acceptedWrites: number;
  /** Refused (4xx/5xx) requests after which the access log had grown. */
  accessLoggedOnRefusal: RejectedWrite[];
}

export class StoredRowWatch {
  private readonly client: Client;
  private last: Fingerprint = new Map();
  private lastAccessLog = 0;
  private readonly inFlight = new Set<string>();
  /** The suite the next requests belong to (set by the harness between fuzzer runs). */
  suite = 'setup';
  readonly tallies = new Map<string, SuiteTally>();
  readonly rejectedWrites: RejectedWrite[] = [];
  overlaps = 0;
  /** Writes one line per request: suite, method, URL, status, and what a refusal said or where a redirect goes. */
  log: (line: string) => void = () => undefined;
  /** Runs before each request is routed (the harness uses it to keep a suite's session alive). */
  beforeRequest: (request: FastifyRequest) => Promise<void> = async () => undefined;

  constructor(url: string) {
    this.client = new Client({ connectionString: url });
  }

  async start(): Promise<void> {
    await this.client.connect();
    [this.last, this.lastAccessLog] = await this.fingerprint();
  }

  async stop(): Promise<void> {
    await this.client.end();
  }

  /** Hooks on the app's root, so they run for every route, the not-found handlers and the error pages. */
  install(app: FastifyInstance): void {
    app.addHook('onRequest', async (request) => {
      if (this.inFlight.size > 0) this.overlaps += 1;
      this.inFlight.add(request.id);
      await this.beforeRequest(request);
    });
    app.addHook('onSend', async (request, reply, payload) => {
      await this.observe(request, reply);
      const location = reply.getHeader('location');
      const said =
        reply.statusCode >= 400 && typeof payload === 'string'
          ? gist(payload)
          : typeof location === 'string'
            ? `-> ${location}`
            : '';
      this.log(`${this.suite}\t${request.method}\t${request.url.slice(0, 500)}\t${reply.statusCode}\t${said}`);
      return payload;
    });
    // A request cut short before onSend (the client went away) leaves no answer to judge, but must not count as
    // still running.
    app.addHook('onResponse', async (request) => {
      this.inFlight.delete(request.id);
    });
  }

  tally(suite: string): SuiteTally {
    let t = this.tallies.get(suite);
    if (!t) {
      t = { requests: 0, statuses: new Map(), acceptedWrites: 0, accessLoggedOnRefusal: [] };
      this.tallies.set(suite, t);
    }
    return t;
  }

  private async observe(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const status = reply.statusCode;
    const [now, accessLog] = await this.fingerprint();
    const changed = [...now].filter(([table, f]) => this.last.get(table) !== f).map(([table]) => table);
    const t = this.tally(this.suite);
    t.requests += 1;
    t.statuses.set(status, (t.statuses.get(status) ?? 0) + 1);
    const what = { suite: this.suite, method: request.method, url: request.url.slice(0, 300), status };
    if (status >= 400 && changed.length > 0) this.rejectedWrites.push({ ...what, tables: changed });
    if (status < 400 && changed.length > 0) t.acceptedWrites += 1;
    if (status >= 400 && accessLog > this.lastAccessLog)
      t.accessLoggedOnRefusal.push({ ...what, tables: ['AccessLog'] });
    this.last = now;
    this.lastAccessLog = accessLog;
    this.inFlight.delete(request.id);
  }

  private async fingerprint(): Promise<[Fingerprint, number]> {
    const { rows } = await this.client.query<{ t: string; f: string }>(FINGERPRINT_SQL);
    const access = await this.client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "AccessLog"`);
    return [new Map(rows.map((r) => [r.t, r.f])), Number(access.rows[0]!.n)];
  }
}

/** The gist of a refusal: an API error body's message and field, or a page's message paragraph. */
function gist(payload: string): string {
  const page = /<p class="govuk-body">([^<]*)<\/p>/.exec(payload) ?? /<title>([^<]*)<\/title>/.exec(payload);
  return (page ? page[1]! : payload).slice(0, 300).replace(/\s+/g, ' ');
}
