/**
 * The fault suite's real processes: the corewatch worker and HTTP server as child processes (`node cli/corewatch.js
 * worker|serve`, the commands a deployment runs), each with its own environment and a log file under
 * .corewatch/faults/, killed or stopped for real (SIGKILL, SIGTERM) and started again.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../support/paths';
import { eventually } from '../../support/eventually';

/** Where the fault suite keeps its logs, databases and results (gitignored, under .corewatch/). */
export const FAULTS_DIR = path.join(REPO_ROOT, '.corewatch', 'faults');

export interface RunningProcess {
  name: string;
  pid: number;
  logFile: string;
  /** When it was spawned (ms since the epoch). */
  startedAt: number;
  /** Resolves when it has ended, with its exit code or the signal that ended it. */
  exited: Promise<string>;
  /** Sends `signal` and waits until the process has ended (SIGKILL after 60 s: a stop that hangs says so). */
  kill(signal: NodeJS.Signals): Promise<string>;
  /** What it has written so far (stdout and stderr). */
  output(): string;
}

/**
 * Starts `corewatch <args>` in its own process. `env` is added to this process's environment (the corewatch
 * variables a deployment would set); `preload` modules are required before the command (a test's stand-in for a
 * deploy with changed code).
 */
export function startCorewatch(
  name: string,
  args: string[],
  env: Record<string, string>,
  preload: string[] = [],
): RunningProcess {
  fs.mkdirSync(FAULTS_DIR, { recursive: true });
  const logFile = path.join(FAULTS_DIR, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  fs.writeSync(out, `\n==== ${new Date().toISOString()} corewatch ${args.join(' ')}\n`);
  const child = spawn(
    process.execPath,
    [
      ...(preload.length > 0 ? ['--require', 'tsx/cjs', ...preload.flatMap((p) => ['--require', p])] : []),
      path.join(REPO_ROOT, 'cli', 'corewatch.js'),
      ...args,
    ],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? `exit ${String(code)}`)),
  );
  if (child.pid === undefined) throw new Error(`could not start corewatch ${args.join(' ')}`);
  return {
    name,
    pid: child.pid,
    logFile,
    startedAt: Date.now(),
    exited,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const hung = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const how = await exited;
      clearTimeout(hung);
      return how;
    },
    output: () => fs.readFileSync(logFile, 'utf8'),
  };
}

/** Waits until the worker's log says it is polling (the SDK logs its state changes). */
export async function workerRunning(worker: RunningProcess, timeoutMs = 60_000): Promise<void> {
  const before = worker.output().lastIndexOf('==== ');
  await eventually(
    () => {
      const since = worker.output().slice(before);
      if (!/state: 'RUNNING'/.test(since)) throw new Error(`${worker.name} is not running yet`);
    },
    timeoutMs,
    100,
  );
}

/** Waits until the HTTP server answers. */
export async function serverListening(baseUrl: string, timeoutMs = 60_000): Promise<void> {
  await eventually(
    async () => {
      const res = await fetch(`${baseUrl}/api/v1/openapi.json`);
      if (res.status !== 200) throw new Error(`server answered ${res.status}`);
    },
    timeoutMs,
    200,
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
