/**
 * How each fault scenario says what it measured: a block of counts on the console (jest shows a test's console
 * output; `process.stdout.write` keeps it free of jest's call-site annotations) and a line in
 * .corewatch/faults/results.jsonl, which scripts/test-faults.sh prints as a table at the end of the run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FAULTS_DIR } from './processes';

export type Figures = Record<string, number | string>;

export function report(scenario: string, figures: Figures): void {
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  const lines = Object.entries(figures).map(([k, v]) => `  ${k.padEnd(width)}  ${String(v)}`);
  process.stdout.write(`\n[faults] ${scenario}\n${lines.join('\n')}\n`);
  fs.mkdirSync(FAULTS_DIR, { recursive: true });
  fs.appendFileSync(
    path.join(FAULTS_DIR, 'results.jsonl'),
    `${JSON.stringify({ scenario, at: new Date().toISOString(), ...figures })}\n`,
  );
}
