/**
 * How the event relay (services/event-relay.ts) reports its failures: every one is counted (GET /metrics) and none
 * is swallowed, but the log is not flooded during a long outage, when the relay retries every second. It logs when
 * delivery starts failing (with the failure's context: what it was doing, for which event and plan, and the error),
 * when the kind of failure changes (the database instead of Temporal), a summary every `summaryEveryMs` while it
 * keeps failing, and when it recovers (how long, how many errors).
 */

/** What the relay was doing when it failed: reading the outbox, signalling a workflow, or stamping a delivery. */
export type RelayStep = 'read-pending' | 'signal' | 'stamp';

export interface RelayFailure {
  step: RelayStep;
  eventId?: string;
  planId?: string;
  error: unknown;
}

/** Where the relay's state changes are written: the server's logger, or the worker's console. */
export interface RelayLog {
  warn(message: string, context: Record<string, unknown>): void;
  info(message: string, context: Record<string, unknown>): void;
}

export interface RelayStats {
  /** Events delivered by this process's relay since it started. */
  delivered: number;
  /** Failures since it started (every one, logged or summarised). */
  errors: number;
  /** Whether the last attempt failed. */
  failing: boolean;
}

const WHAT: Record<RelayStep, string> = {
  'read-pending': 'could not read the pending deliveries (database)',
  signal: 'could not signal the plan workflow (Temporal)',
  stamp: 'could not record the delivery (database)',
};

export class RelayHealth {
  private delivered = 0;
  private errors = 0;
  /** Set while failing: when it began, errors since, when the log last spoke, the step that is failing. */
  private outage: { since: number; errors: number; lastLogged: number; step: RelayStep } | undefined;

  constructor(
    private readonly log: RelayLog,
    private readonly options: { summaryEveryMs?: number; now?: () => number } = {},
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** A relay run that met no failure, delivering `count` events (perhaps none: nothing was pending). */
  succeeded(count: number): void {
    this.delivered += count;
    if (this.outage === undefined) return;
    const { since, errors } = this.outage;
    this.outage = undefined;
    this.log.info(`event relay recovered after ${duration(this.now() - since)} and ${errors} failed attempts`, {
      failedAttempts: errors,
      outageMs: this.now() - since,
    });
  }

  failed(failure: RelayFailure): void {
    this.errors += 1;
    const now = this.now();
    const context = contextOf(failure);
    const reason = `${WHAT[failure.step]}: ${context.error}`;
    if (this.outage === undefined || this.outage.step !== failure.step) {
      const changed = this.outage !== undefined;
      this.outage = {
        since: this.outage?.since ?? now,
        errors: (this.outage?.errors ?? 0) + 1,
        lastLogged: now,
        step: failure.step,
      };
      this.log.warn(
        `event relay ${changed ? 'still failing, now' : 'failing'}: ${reason}; accepted events stay stored and are delivered once it recovers`,
        context,
      );
      return;
    }
    this.outage.errors += 1;
    if (now - this.outage.lastLogged >= (this.options.summaryEveryMs ?? 60_000)) {
      this.outage.lastLogged = now;
      this.log.warn(
        `event relay still failing after ${duration(now - this.outage.since)}: ${this.outage.errors} failed attempts; last: ${reason}`,
        { ...context, failedAttempts: this.outage.errors, outageMs: now - this.outage.since },
      );
    }
  }

  stats(): RelayStats {
    return { delivered: this.delivered, errors: this.errors, failing: this.outage !== undefined };
  }
}

function contextOf(failure: RelayFailure): Record<string, unknown> & { error: string } {
  return {
    step: failure.step,
    ...(failure.eventId !== undefined ? { eventId: failure.eventId } : {}),
    ...(failure.planId !== undefined ? { planId: failure.planId } : {}),
    error: errorText(failure.error),
  };
}

/**
 * An error's message, without Prisma's call-site preamble ("Invalid `db.x()` invocation in <file>", a code frame):
 * its last line is what went wrong ("Can't reach database server at 127.0.0.1:5432").
 */
function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.at(-1) ?? message;
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** A RelayLog over the console, for processes without a structured logger (the worker). */
export const consoleRelayLog: RelayLog = {
  warn: (message, context) => console.warn(`[relay] ${message} ${JSON.stringify(context)}`),
  info: (message, context) => console.info(`[relay] ${message} ${JSON.stringify(context)}`),
};
