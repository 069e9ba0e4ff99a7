/**
 * The app under test for read.bench.ts, in its own process so the load generator never shares its event loop: the
 * real HTTP app (http/app.ts, the API and the dashboard) over the bench database, on a free loopback port, with the
 * configuration read from the environment exactly as `corewatch serve` reads it (DATABASE_URL, COREWATCH_ENV,
 * DEMO_PARTNERSHIP, ...). No Temporal and no relay: the benchmark only reads.
 *
 * Prints `listening <port>` on stdout once it accepts connections; stops on SIGTERM or when stdin closes (so it never
 * outlives the benchmark that started it).
 */
import { buildHttpApp } from '../../http/app';
import { createPrisma } from '../../platform/database';
import { loadConfig } from '../../platform/env';

async function serve(): Promise<void> {
  const config = loadConfig();
  const prisma = createPrisma(config.DATABASE_URL);
  const app = buildHttpApp({ prisma, config });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
  process.stdout.write(`listening ${address.port}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void app
      .close()
      .then(() => prisma.$disconnect())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.on('end', stop).on('close', stop).resume();
}

serve().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
