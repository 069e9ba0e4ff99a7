/**
 * The Temporal CLI's dev server (the real server, as README command 1 runs it), started for one test file on a free
 * port with in-memory history. Waits for it to answer rather than trusting the SDK's 5 s start-up limit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { eventually } from './eventually';

export const TEMPORAL_CLI = path.join(
  process.env.COREWATCH_TOOLS ?? path.join(os.homedir(), '.cache', 'corewatch'),
  'bin',
  'temporal',
);

export interface DevServer {
  address: string;
  stop(): void;
}

export async function startDevServer(): Promise<DevServer> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const server: ChildProcess = spawn(
    TEMPORAL_CLI,
    ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless', '--log-level', 'error'],
    { stdio: 'ignore' },
  );
  await eventually(
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
      } finally {
        await connection.close();
      }
    },
    60_000,
    250,
  );
  return { address, stop: () => void server.kill('SIGTERM') };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
