/**
 * A Temporal CLI dev server that can be stopped and started again with its history intact: on a fixed port, with
 * its database in a file (`--db-filename`), so timers and workflows outlive a restart as they would on a real
 * cluster. (test/support/dev-server.ts starts an in-memory one per test file.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { eventually } from '../../support/eventually';
import { freePort, TEMPORAL_CLI } from '../../support/dev-server';
import { FAULTS_DIR } from './processes';

export class RestartableTemporal {
  private process: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  address = '';
  private port = 0;

  constructor(private readonly name: string) {}

  get dbFile(): string {
    return path.join(FAULTS_DIR, `${this.name}.temporal.db`);
  }

  /** Starts it (the first time on a free port with an empty database; afterwards on the same port and file). */
  async start(): Promise<void> {
    if (this.port === 0) {
      this.port = await freePort();
      this.address = `127.0.0.1:${this.port}`;
      fs.mkdirSync(FAULTS_DIR, { recursive: true });
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${this.dbFile}${suffix}`, { force: true });
    }
    const log = fs.openSync(path.join(FAULTS_DIR, `${this.name}.temporal.log`), 'a');
    const child = spawn(
      TEMPORAL_CLI,
      [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--db-filename',
        this.dbFile,
        '--headless',
        '--log-level',
        'warn',
      ],
      { stdio: ['ignore', log, log] },
    );
    fs.closeSync(log);
    this.process = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await eventually(
      async () => {
        const connection = await Connection.connect({ address: this.address, connectTimeout: 1000 });
        try {
          await connection.workflowService.getSystemInfo({});
        } finally {
          await connection.close();
        }
      },
      60_000,
      250,
    );
  }

  /** Stops it (SIGTERM, as an operator or a deploy would) and waits until it has exited. */
  async stop(): Promise<void> {
    this.process?.kill('SIGTERM');
    await this.exited;
    this.process = undefined;
  }
}
