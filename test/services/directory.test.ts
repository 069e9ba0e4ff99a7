/**
 * `corewatch directory load`: a partnership's teams, people and roles from one JSON file, over a real PostgreSQL
 * database. What it grants is what the dashboard then allows (dashboard/access.ts reads the same rows).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import { loadAccess } from '../../http/dashboard/access';
import { DirectoryError, loadDirectory, parseDirectory } from '../../services/directory';
import { capturedIo, withDatabaseUrl } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('directory');
});
afterAll(async () => db?.drop());

function directory(overrides: { people?: unknown[]; teams?: unknown[]; partnership?: unknown } = {}) {
  return {
    partnership: { id: 'kentish', name: 'Kentish Town Safeguarding Partnership', policy: 'camden' },
    teams: [{ id: 'kt-cp1', name: 'Child Protection 1', managers: ['kt-tm'] }],
    people: [
      { id: 'kt-tm', name: 'Theo Manager', email: 'theo.manager@kentish.test', agency: 'social-care' },
      { id: 'kt-an', name: 'Ana Lyst', email: 'ana.lyst@kentish.test', roles: ['analyst', 'auditor'] },
      { id: 'kt-admin', name: 'Ad Min', email: 'ad.min@kentish.test', roles: ['administrator'] },
    ],
    ...overrides,
  };
}

const rolesOf = async (personId: string) => {
  const access = await loadAccess(db.prisma, { personId, partnershipId: 'kentish', displayName: '', demo: false });
  return access ? [...access.roles].sort() : undefined;
};

it('sets up a partnership whose people then hold exactly the roles the file gives', async () => {
  const changes = await loadDirectory(db.prisma, parseDirectory(directory()));
  expect(changes).toEqual({
    partnership: 'created',
    teams: { created: 1, updated: 0 },
    people: { created: 3, updated: 0, deactivated: 0 },
    roles: { granted: 4, removed: 0 },
  });
  expect(await rolesOf('kt-tm')).toEqual(['team-manager']);
  expect(await rolesOf('kt-an')).toEqual(['analyst', 'auditor']);
  expect(await rolesOf('kt-admin')).toEqual(['administrator']);
});

it('changes nothing when the same file is loaded again', async () => {
  expect(await loadDirectory(db.prisma, parseDirectory(directory()))).toEqual({
    partnership: 'unchanged',
    teams: { created: 0, updated: 0 },
    people: { created: 0, updated: 0, deactivated: 0 },
    roles: { granted: 0, removed: 0 },
  });
});

it('takes away a role deleted from the file, and shuts out a person marked inactive', async () => {
  const d = directory({
    teams: [{ id: 'kt-cp1', name: 'Child Protection 1', managers: [] }],
    people: [
      { id: 'kt-tm', name: 'Theo Manager', email: 'theo.manager@kentish.test', agency: 'social-care' },
      { id: 'kt-an', name: 'Ana Lyst', email: 'ana.lyst@kentish.test', roles: ['analyst'] },
      { id: 'kt-admin', name: 'Ad Min', email: 'ad.min@kentish.test', roles: ['administrator'], active: false },
    ],
  });
  expect(await loadDirectory(db.prisma, parseDirectory(d))).toMatchObject({
    people: { deactivated: 1 },
    roles: { granted: 0, removed: 2 },
  });
  expect(await rolesOf('kt-tm')).toEqual([]);
  expect(await rolesOf('kt-an')).toEqual(['analyst']);
  expect(await rolesOf('kt-admin')).toBeUndefined();
});

const problemPaths = (json: unknown): string[] => {
  try {
    parseDirectory(json);
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    return (error as DirectoryError).problems.map((p) => p.path).sort();
  }
  throw new Error('expected the directory to be refused');
};

it('names every bad field before touching the database', () => {
  expect(
    problemPaths(
      directory({
        people: [
          { id: 'a', name: 'A', email: 'a@kentish.test', roles: ['superuser'] },
          { id: 'b', name: 'B', email: 'b@kentish.test', colour: 'red' },
        ],
        partnership: { id: 'kentish', name: 'K', policy: 'narnia' },
      }),
    ),
  ).toEqual(['partnership.policy', 'people[0].roles[0]', 'people[1]']);
  // Cross-field checks, once every field is well formed: repeated people and managers who are not listed.
  expect(
    problemPaths(
      directory({
        teams: [{ id: 'kt-cp1', name: 'CP', managers: ['nobody'] }],
        people: [
          { id: 'a', name: 'A', email: 'same@kentish.test' },
          { id: 'b', name: 'B', email: 'SAME@kentish.test' },
          { id: 'a', name: 'A again', email: 'other@kentish.test' },
        ],
      }),
    ),
  ).toEqual(['people[1].email', 'people[2].id', 'teams[0].managers[0]']);
});

it('is all or nothing: a refusal halfway through leaves no trace of the file', async () => {
  const d = directory({
    people: [
      { id: 'kt-new', name: 'New Starter', email: 'new.starter@kentish.test', roles: ['auditor'] },
      { id: 'kt-clash', name: 'Clash', email: 'ana.lyst@kentish.test' },
    ],
    teams: [],
  });
  await expect(loadDirectory(db.prisma, parseDirectory(d))).rejects.toThrow(
    'people[1].email: is already the email of kt-an',
  );
  expect(await db.prisma.person.findUnique({ where: { id: 'kt-new' } })).toBeNull();
  await expect(
    loadDirectory(
      db.prisma,
      parseDirectory(directory({ partnership: { id: 'kentish', name: 'K', policy: 'england' } })),
    ),
  ).rejects.toThrow(/partnership.policy: is camden/);
});

it('corewatch directory load: prints the changes, or exits 2 naming the field with nothing changed', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corewatch-directory-'));
  const { io, out, err } = capturedIo();
  try {
    await withDatabaseUrl(db.url, async () => {
      const good = path.join(dir, 'good.json');
      fs.writeFileSync(
        good,
        JSON.stringify(
          directory({
            people: [{ id: 'kt-cli', name: 'Cli Person', email: 'cli@kentish.test', roles: ['auditor'] }],
            teams: [],
          }),
        ),
      );
      expect(await main(['directory', 'load', good], io)).toBe(0);
      expect(JSON.parse(out.join(''))).toMatchObject({ people: { created: 1 }, roles: { granted: 1 } });
      const bad = path.join(dir, 'bad.json');
      fs.writeFileSync(
        bad,
        JSON.stringify(directory({ people: [{ id: 'kt-cli2', name: 'X', email: 'not-an-email' }], teams: [] })),
      );
      expect(await main(['directory', 'load', bad], io)).toBe(2);
      expect(err.join('')).toContain('people[0].email: must be an email address');
      expect(await db.prisma.person.findUnique({ where: { id: 'kt-cli2' } })).toBeNull();
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
