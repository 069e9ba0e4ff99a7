/**
 * `BENCH=read npm run bench`: the dashboard and API read benchmark. USERS (20) signed-in team managers at once on the
 * overview, 'overdue now', a plan page and `GET /api/v1/plans?overdue=true`, over a partnership of BENCH_PLANS plans
 * (default 5,000; a comma list runs several sizes) with twelve months of realistic history ending today
 * (read-history.ts). Target: p95 under 150 ms on every route.
 *
 * Per size: a fresh database (seeded fast; seeding time is printed, not measured); the preparation the code in this
 * checkout offers (`corewatch obligations rebuild` and `corewatch figures backfill`, when `corewatch help` lists
 * them: the redesigned read model; timed); the real app served in a child process (read-server.ts); users signed in
 * through the demo sign-in form; a warm-up phase, then the measured phase (read-load.ts). Every response must be a
 * 200; others are counted as failures and left out of the latencies. Printed as a table and written to
 * test/bench/results/read-<plans>.json with the machine, its load and the commit. Nothing is asserted against a
 * clock: the figures are for comparing runs on the same machine (2 shared cores here: note the load).
 *
 * Environment: BENCH_PLANS (5000), BENCH_REQUESTS per route (200), BENCH_WARMUP per route (one per user),
 * BENCH_USERS (20), BENCH_SEED (1), BENCH_MAX_SECONDS for the measured phase (3600: stop starting requests after),
 * BENCH_TIMEOUT_SECONDS per request (600), BENCH_KEEP (see below). Needs PostgreSQL (`npm run bench` starts it).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { addDays, londonDateAt } from '../../domain/calendar';
import { monthOf } from '../../domain/report-months';
import { issueApiToken } from '../../services/api-tokens';
import { createPrisma } from '../../platform/database';
import {
  createTestDatabase,
  databaseUrl,
  ensureTemplate,
  TEMPLATE_DATABASE,
  type TestDatabase,
} from '../support/database';
import { HISTORY_DAYS, PARTNERSHIP_ID, TEAM_MANAGER_ID } from './read-history';
import { keepAliveAgent, runPhase, signIn, virtualUsers, type PhaseResult, type Route } from './read-load';
import { seedReadBench, type SeedSummary } from './read-seed';

const env = process.env;
const SIZES = (env['BENCH_PLANS'] ?? '5000').split(',').map(Number);
const USERS = Number(env['BENCH_USERS'] ?? 20);
const REQUESTS = Number(env['BENCH_REQUESTS'] ?? 200);
const WARMUP = Number(env['BENCH_WARMUP'] ?? USERS);
const SEED = env['BENCH_SEED'] ?? '1';
const MAX_SECONDS = Number(env['BENCH_MAX_SECONDS'] ?? 3600);
const TIMEOUT_SECONDS = Number(env['BENCH_TIMEOUT_SECONDS'] ?? 600);
/**
 * BENCH_KEEP=1: seed into a database named for the size and keep it afterwards; a later run with BENCH_KEEP=1 finds it
 * seeded and prepared and goes straight to measuring (for profiling a change without re-seeding for ten minutes). The
 * seeding is dated by the day it ran: keep such a database for a day's work, not for comparisons across days.
 */
const KEEP = env['BENCH_KEEP'] === '1';
const TARGET_P95_MS = 150;
const REPO = path.resolve(__dirname, '../..');

/** The four routes of the issue. Paths and their auth are the only things here that know the app's URLs. */
function routes(planIds: readonly string[]): Route[] {
  return [
    { name: 'GET / (overview)', path: () => '/', auth: 'session' },
    { name: 'GET /overdue', path: () => '/overdue', auth: 'session' },
    {
      name: 'GET /plans/:planId',
      path: (random) => `/plans/${encodeURIComponent(planIds[Math.floor(random() * planIds.length)]!)}`,
      auth: 'session',
    },
    { name: 'GET /api/v1/plans?overdue=true', path: () => '/api/v1/plans?overdue=true', auth: 'token' },
  ];
}

async function main(): Promise<void> {
  for (const value of [...SIZES, USERS, REQUESTS, WARMUP, MAX_SECONDS, TIMEOUT_SECONDS]) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`BENCH_* settings must be whole numbers, got ${value}`);
  }
  for (const plans of SIZES) await benchSize(plans);
}

/** One size, start to finish; the database is dropped whatever happens. */
async function benchSize(plans: number): Promise<void> {
  const loadAtStart = os.loadavg();
  const code = codeVersion(); // before anything runs, so a checkout changed during the run is not credited
  const today = londonDateAt(Date.now());
  console.log(
    `\nread bench: ${plans} plans, ${USERS} users, ${REQUESTS} requests per route (warm-up ${WARMUP}), today ${today}; load ${loads(loadAtStart)}`,
  );
  if (KEEP) await ensureTemplate();
  const kept = KEEP ? await keptDatabase(plans) : undefined;
  const db = kept?.db ?? (await createTestDatabase('bench_read'));
  try {
    let seeding: SeedSummary;
    let preparation: PreparationStep[];
    if (kept?.seeded) {
      console.log(`reusing the kept database ${db.name} (BENCH_KEEP=1): seeded and prepared earlier`);
      seeding = kept.seeded;
      preparation = [];
    } else {
      console.log('seeding (not measured)...');
      seeding = await seedReadBench(db.prisma, plans, today, SEED);
      console.log(
        `  ${seeding.events} events (${seeding.eventsPerPlan} per plan), ${seeding.notifications} sent notifications (${seeding.notificationsPerPlan} per plan), ${seeding.endedPlans} ended, ${seeding.overduePlans} overdue today, in ${seeding.seconds} s`,
      );
      preparation = prepare(db.url, today);
      // What autovacuum would have done to tables in steady use: statistics and the visibility map (index-only scans).
      await db.prisma.$executeRawUnsafe(
        'VACUUM (ANALYZE) "Plan", "PlanRole", "PlanEvent", "Obligation", "Notification", "MonthlyFigure", "Person"',
      );
      if (KEEP)
        await db.prisma.$executeRawUnsafe(
          `COMMENT ON DATABASE "${db.name}" IS '${JSON.stringify(seeding).replace(/'/g, "''")}'`,
        );
    }
    const { token } = await issueApiToken(db.prisma, {
      name: 'read-bench',
      partnershipId: PARTNERSHIP_ID,
      scopes: ['plans:read'],
    });
    const planIds = (
      await db.prisma.plan.findMany({
        where: { partnershipId: PARTNERSHIP_ID },
        select: { id: true },
        orderBy: { id: 'asc' },
      })
    ).map((p) => p.id);
    await db.prisma.$disconnect(); // the bench holds no connection while the app is measured

    const server = await startServer(db.url);
    let measured: Measured;
    try {
      measured = await load(server.base, server.pid, routes(planIds), token);
    } finally {
      await server.stop();
    }
    const result = record(plans, today, code, loadAtStart, seeding, preparation, measured);
    printTable(result.routes);
    const out = path.join(__dirname, 'results', `read-${plans}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`written to ${path.relative(process.cwd(), out)}`);
  } finally {
    if (KEEP) await db.prisma.$disconnect();
    else await db.drop();
  }
}

/** The kept database of this size (BENCH_KEEP=1), and what its seeding was when it has been seeded and prepared. */
async function keptDatabase(plans: number): Promise<{ db: TestDatabase; seeded?: SeedSummary }> {
  const name = `corewatch_bench_read_${plans}`;
  const admin = createPrisma(databaseUrl('postgres'));
  try {
    const [row] = await admin.$queryRaw<Array<{ comment: string | null }>>`
      SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = ${name}`;
    if (!row) await admin.$executeRawUnsafe(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`);
    const url = databaseUrl(name);
    const db: TestDatabase = { name, url, prisma: createPrisma(url), drop: async () => undefined };
    return row?.comment ? { db, seeded: JSON.parse(row.comment) as SeedSummary } : { db };
  } finally {
    await admin.$disconnect();
  }
}

interface PreparationStep {
  command: string;
  /** False when this checkout's CLI has no such command (the code before the read model): skipped. */
  present: boolean;
  seconds?: number;
}

/**
 * What the code under test needs before it can serve reads from stored data: the redesigned code stores obligations
 * and monthly figures and offers commands to build them for existing data. Run, in order and timed, the ones this
 * checkout's `corewatch help` lists; the code that recomputes per request has neither, and needs nothing.
 */
function prepare(databaseUrl: string, today: string): PreparationStep[] {
  const help = execFileSync(process.execPath, ['cli/corewatch.js', 'help'], { cwd: REPO, encoding: 'utf8' });
  const offers = (command: string) => new RegExp(`^\\s+${command}\\s`, 'm').test(help);
  const steps = [
    ['obligations', 'rebuild', '--partnership', PARTNERSHIP_ID],
    // From the month the oldest plan started, so every month the overview's trend can show is stored.
    ['figures', 'backfill', '--from', monthOf(addDays(today, -HISTORY_DAYS)), '--partnership', PARTNERSHIP_ID],
  ];
  return steps.map((args) => {
    const command = `corewatch ${args.join(' ')}`;
    if (!offers(args[0]!)) {
      console.log(`preparation: ${command}: not offered by this checkout, skipped`);
      return { command, present: false };
    }
    console.log(`preparation: ${command}`);
    const started = Date.now();
    execFileSync(process.execPath, ['cli/corewatch.js', ...args], {
      cwd: REPO,
      stdio: 'inherit',
      env: { ...env, DATABASE_URL: databaseUrl },
    });
    const seconds = round((Date.now() - started) / 1000, 1);
    console.log(`  done in ${seconds} s`);
    return { command, present: true, seconds };
  });
}

interface Server {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

/** The app in its own process (read-server.ts), development-like with the demo sign-in offering the bench's people. */
async function startServer(databaseUrl: string): Promise<Server> {
  // BENCH_PROFILE=DIR: the app writes a V8 CPU profile of the run to DIR (open it in Chrome's DevTools).
  const profile = env['BENCH_PROFILE'] ? ['--cpu-prof', '--cpu-prof-dir', env['BENCH_PROFILE']] : [];
  const child = spawn(process.execPath, [...profile, '--require', 'tsx/cjs', path.join(__dirname, 'read-server.ts')], {
    cwd: REPO,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...env,
      DATABASE_URL: databaseUrl,
      COREWATCH_ENV: 'test',
      DEMO_PARTNERSHIP: PARTNERSHIP_ID,
      // Every user signs in from 127.0.0.1: the default (10 a minute per address) would refuse most of them.
      SIGN_IN_RATE_LIMIT: '10000',
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the app did not start listening within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`the app exited (code ${code}) before listening`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

interface Measured {
  signInSeconds: number;
  warmup: PhaseResult;
  measured: PhaseResult;
  loadAtMeasureStart: number[];
  loadAtMeasureEnd: number[];
  /** CPU time the app's process used during the measured phase (Linux /proc), for reading the load. */
  serverCpuSeconds: number | null;
}

/** Sign every user in, warm up (JIT, connection pools, caches; not counted), then measure. */
async function load(base: string, serverPid: number, benchRoutes: Route[], token: string): Promise<Measured> {
  const agent = keepAliveAgent(USERS);
  try {
    const signInStarted = Date.now();
    const jars = [];
    for (let u = 0; u < USERS; u++) jars.push(await signIn(base, agent, TEAM_MANAGER_ID));
    const signInSeconds = round((Date.now() - signInStarted) / 1000, 1);
    const users = virtualUsers(jars, SEED);
    const options = { base, routes: benchRoutes, users: USERS, timeoutMs: TIMEOUT_SECONDS * 1000 };

    console.log(`${USERS} users signed in (${signInSeconds} s); warm-up: ${WARMUP} requests per route...`);
    const warmup = await runPhase(
      { ...options, perRoute: WARMUP, deadline: Date.now() + MAX_SECONDS * 1000 },
      users,
      agent,
      token,
    );
    console.log(
      `  warm-up done in ${warmup.seconds} s${warmup.routes.some((r) => r.failures > 0) ? ` with failures: ${JSON.stringify(warmup.failureExamples)}` : ''}`,
    );

    const loadAtMeasureStart = os.loadavg();
    console.log(`measuring: ${REQUESTS} requests per route; load ${loads(loadAtMeasureStart)}...`);
    const cpuBefore = processCpuSeconds(serverPid);
    const measured = await runPhase(
      { ...options, perRoute: REQUESTS, deadline: Date.now() + MAX_SECONDS * 1000 },
      users,
      agent,
      token,
    );
    const cpuAfter = processCpuSeconds(serverPid);
    const loadAtMeasureEnd = os.loadavg();
    console.log(
      `  done in ${measured.seconds} s${measured.stoppedEarly ? ' (stopped early: BENCH_MAX_SECONDS)' : ''}; load ${loads(loadAtMeasureEnd)}`,
    );
    return {
      signInSeconds,
      warmup,
      measured,
      loadAtMeasureStart,
      loadAtMeasureEnd,
      serverCpuSeconds: cpuBefore === null || cpuAfter === null ? null : round(cpuAfter - cpuBefore, 1),
    };
  } finally {
    await agent.close();
  }
}

/** User plus system CPU seconds of a process so far, from /proc (null where there is no /proc). */
function processCpuSeconds(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // After the command name: field 14 (utime) and 15 (stime) of proc(5) are at 11 and 12 here, in clock ticks.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The commit measured, and whether tracked files differed from it. */
function codeVersion(): { commit: string; uncommittedChanges: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
  return {
    commit: git('rev-parse', '--short', 'HEAD'),
    uncommittedChanges: git('status', '--porcelain', '--untracked-files=no') !== '',
  };
}

function record(
  plans: number,
  today: string,
  code: ReturnType<typeof codeVersion>,
  loadAtStart: number[],
  seeding: SeedSummary,
  preparation: PreparationStep[],
  m: Measured,
) {
  return {
    benchmark: 'read',
    recordedAt: new Date().toISOString(),
    today,
    ...code,
    machine: {
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      cpus: os.cpus().length,
      totalMemoryGiB: round(os.totalmem() / 1024 ** 3, 1),
      os: `${os.type()} ${os.release()}`,
    },
    node: process.version,
    loadAverage: {
      start: loadAtStart.map((l) => round(l, 2)),
      measureStart: m.loadAtMeasureStart.map((l) => round(l, 2)),
      end: m.loadAtMeasureEnd.map((l) => round(l, 2)),
    },
    settings: {
      plans,
      users: USERS,
      requestsPerRoute: REQUESTS,
      warmupPerRoute: WARMUP,
      seed: SEED,
      maxSeconds: MAX_SECONDS,
      timeoutSeconds: TIMEOUT_SECONDS,
    },
    targetP95Ms: TARGET_P95_MS,
    seeding,
    preparation,
    signInSeconds: m.signInSeconds,
    warmup: { seconds: m.warmup.seconds, failures: m.warmup.routes.reduce((n, r) => n + r.failures, 0) },
    measuredSeconds: m.measured.seconds,
    stoppedEarly: m.measured.stoppedEarly,
    serverCpuSeconds: m.serverCpuSeconds,
    routes: m.measured.routes.map((r) => ({ ...r, meetsTarget: r.failures === 0 && r.p95Ms < TARGET_P95_MS })),
    failures: m.measured.routes.reduce((n, r) => n + r.failures, 0),
    failureExamples: m.measured.failureExamples,
  };
}

function printTable(rows: ReturnType<typeof record>['routes']): void {
  const header = [
    'route',
    'requests',
    'failures',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'mean ms',
    'req/s',
    `p95 < ${TARGET_P95_MS}`,
  ];
  const body = rows.map((r) =>
    [
      r.route,
      r.requests,
      r.failures,
      r.p50Ms,
      r.p95Ms,
      r.p99Ms,
      r.maxMs,
      r.meanMs,
      r.requestsPerSecond,
      r.meetsTarget ? 'yes' : 'no',
    ].map(String),
  );
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(['', line(header), ...body.map(line), ''].join('\n'));
}

const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
