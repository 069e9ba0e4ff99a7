/**
 * Running `corewatch` commands in a test: their output captured, and the test's own database as the one they open
 * (commands read DATABASE_URL through loadConfig, as in a shell).
 */
import type { Io } from '../../cli/main';

export function capturedIo(): { io: Io; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), now: () => Date.now() }, out, err };
}

/** Runs `work` with DATABASE_URL set to `url`, then puts the previous value back. */
export async function withDatabaseUrl<T>(url: string, work: () => Promise<T>): Promise<T> {
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url;
  try {
    return await work();
  } finally {
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
  }
}
