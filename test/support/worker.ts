/**
 * The production worker wiring (worker/create-worker.ts) pointed at test parts: a test database, the run's SMTP
 * catcher, the prebuilt workflow bundle, and a scratch reports folder. One place, so every test runs the same worker.
 */
import os from 'node:os';
import path from 'node:path';
import type { NativeConnection, Worker } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import type { PrismaClient } from '../../platform/database';
import { SMTP_TIMEOUTS } from '../../platform/mail-transport';
import { createPlanWorker } from '../../worker/create-worker';
import { sharedTestEnv } from './temporal';

export interface TestWorkerOptions {
  connection: NativeConnection;
  taskQueue: string;
  prisma: PrismaClient;
  smtpPort: number;
  reportsDir?: string;
  /** Bundle the workflows from source (as production does) instead of using the run's prebuilt bundle. */
  bundleFromSource?: boolean;
  /** A bundle of the test's own (e.g. test/support/workflow-bundle.ts, with modules swapped) instead of the run's. */
  workflowBundlePath?: string;
  maxCachedWorkflows?: number;
}

export function testWorker(options: TestWorkerOptions): Promise<Worker> {
  return createPlanWorker({
    connection: options.connection,
    namespace: 'default',
    taskQueue: options.taskQueue,
    ...(options.bundleFromSource
      ? {}
      : { workflowBundlePath: options.workflowBundlePath ?? sharedTestEnv().workflowBundlePath }),
    ...(options.maxCachedWorkflows !== undefined ? { tuning: { maxCachedWorkflows: options.maxCachedWorkflows } } : {}),
    deps: {
      prisma: options.prisma,
      mailer: nodemailer.createTransport({
        host: '127.0.0.1',
        port: options.smtpPort,
        secure: false,
        ignoreTLS: true,
        ...SMTP_TIMEOUTS,
      }),
      mailFrom: 'corewatch@council.test',
      publicBaseUrl: 'http://corewatch.test',
      reportsDir: options.reportsDir ?? path.join(os.tmpdir(), 'corewatch-test-reports'),
    },
  });
}
