/**
 * `npm run bench`: runs the benchmarks BENCH names (a comma list of `report`, `read`; default all), each in its own
 * process, one after the other so they never measure each other. `BENCH=read npm run bench` runs the read benchmark
 * alone. Settings of each are in its file (BENCH_PLANS is shared: report defaults to 1000,5000, read to 5000).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const BENCHES: Record<string, string> = {
  report: 'report.bench.ts', // the monthly audit workbook: time and peak memory
  read: 'read.bench.ts', // dashboard and API reads under 20 signed-in users: latency per route
};

const chosen = (process.env['BENCH'] ?? 'all').split(',').map((name) => name.trim());
const names = chosen.includes('all') ? Object.keys(BENCHES) : chosen;
const unknown = names.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`BENCH: unknown benchmark ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')}, all)`);
  process.exit(2);
}
for (const name of names) {
  console.log(`\n=== bench: ${name} ===`);
  // --expose-gc: the report bench samples memory after a collection.
  execFileSync(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', path.join(__dirname, BENCHES[name]!)], {
    stdio: 'inherit',
  });
}
