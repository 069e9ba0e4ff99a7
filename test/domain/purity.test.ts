/**
 * Determinism enforced by a test, not by memory: workflow code is replayed by Temporal and must give the same
 * commands every time, and the domain rules run inside workflows, reports and the CLI alike. So neither may import
 * Node built-ins or I/O libraries (Prisma, nodemailer, exceljs, pg...), and the domain may not read the clock or
 * randomness (workflows may: the SDK makes Date.now() workflow time). A type-only import of activities is how a
 * workflow names them (`proxyActivities<typeof ...>`), and is allowed.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}

/** Every `import ... from 'x'` / `require('x')`, with whether it is type-only. */
function imports(file: string): Array<{ specifier: string; typeOnly: boolean }> {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const found: Array<{ specifier: string; typeOnly: boolean }> = [];
  for (const m of text.matchAll(/^\s*import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
    found.push({ specifier: m[2]!, typeOnly: m[1] !== undefined });
  }
  for (const m of text.matchAll(/require\('([^']+)'\)/g)) found.push({ specifier: m[1]!, typeOnly: false });
  return found;
}

const DOMAIN_FILES = sourceFiles('domain');
const WORKFLOW_FILES = sourceFiles('workflows');

describe('domain/ is pure', () => {
  it.each(DOMAIN_FILES)('%s imports only other domain modules (and zod for input schemas)', (file) => {
    for (const { specifier } of imports(file)) {
      const allowed = specifier.startsWith('.')
        ? path.resolve(path.dirname(path.join(ROOT, file)), specifier).startsWith(path.join(ROOT, 'domain'))
        : specifier === 'zod';
      expect({ file, specifier, allowed }).toEqual({ file, specifier, allowed: true });
    }
  });

  it.each(DOMAIN_FILES)('%s reads neither the clock nor randomness', (file) => {
    const code = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).not.toMatch(/Date\.now\(|new Date\(\s*\)|Math\.random\(|process\.|Intl\./);
  });
});

describe('workflows/ are deterministic', () => {
  it.each(WORKFLOW_FILES)('%s imports only the workflow SDK, the domain and types of activities', (file) => {
    for (const { specifier, typeOnly } of imports(file)) {
      const target = specifier.startsWith('.') ? path.resolve(path.dirname(path.join(ROOT, file)), specifier) : specifier;
      const allowed =
        specifier === '@temporalio/workflow' ||
        (specifier.startsWith('.') && (target.startsWith(path.join(ROOT, 'domain')) || target.startsWith(path.join(ROOT, 'workflows')))) ||
        (typeOnly && specifier.startsWith('.') && target.startsWith(path.join(ROOT, 'activities')));
      expect({ file, specifier, allowed }).toEqual({ file, specifier, allowed: true });
    }
  });
});
