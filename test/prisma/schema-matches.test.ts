/**
 * The hand-written migrations in prisma/migrations must build exactly the database prisma/schema.prisma describes.
 *
 * `prisma migrate diff --from-migrations ... --to-schema ...` would say so, but it needs Prisma's native schema
 * engine, which is downloaded at run time from binaries.prisma.sh (unreachable in CI). So this test compares the two
 * sides itself:
 *  - declared: the schema as Prisma itself parses it (its DMMF), obtained offline by running `prisma generate` on a
 *    copy of the schema whose only generator is a tiny script that writes the DMMF it is handed to a file;
 *  - actual: what PostgreSQL has after the migrations ran (pg_catalog): tables, columns with types, nullability and
 *    defaults, primary keys, unique and plain indexes with Prisma's names, foreign keys with their actions.
 * A field added to schema.prisma without a migration (or a migration without the field) fails here.
 *
 * It also checks the behaviour the schema cannot express (the append-only event log) and the migration runner.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { applyMigrations, MigrationError, MIGRATIONS_DIR, readMigrations } from '../../scripts/migrate';
import { createTestDatabase, type TestDatabase } from '../support/database';

const REPO = resolve(__dirname, '..', '..');

// ---------------------------------------------------------------------------------------------------------------
// Declared: Prisma's DMMF for prisma/schema.prisma.

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  isList: boolean;
  isRequired: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  fields: Array<{ name: string }>;
}
interface Datamodel {
  models: DmmfModel[];
  enums: unknown[];
  indexes: DmmfIndex[];
}

// A Prisma generator is any program speaking JSON-RPC on stdin/stderr; this one only saves the DMMF.
const DUMP_GENERATOR = `
const fs = require('fs');
const lines = require('readline').createInterface({ input: process.stdin });
const reply = (id, result) => process.stderr.write(JSON.stringify({ jsonrpc: '2.0', id, result }) + '\\n');
lines.on('line', (line) => {
  const message = JSON.parse(line);
  if (message.method === 'getManifest') reply(message.id, { manifest: { prettyName: 'DMMF dump', requiresEngines: [] } });
  if (message.method === 'generate') {
    fs.writeFileSync(message.params.generator.output.value, JSON.stringify(message.params.dmmf.datamodel));
    reply(message.id, null);
  }
});
`;

function readDeclaredDatamodel(): Datamodel {
  const dir = mkdtempSync(join(tmpdir(), 'corewatch-dmmf-'));
  try {
    const generator = join(dir, 'dump-dmmf.js');
    const output = join(dir, 'datamodel.json');
    writeFileSync(generator, DUMP_GENERATOR);
    const schema = readFileSync(join(REPO, 'prisma', 'schema.prisma'), 'utf8').replace(
      /^generator\s+\w+\s*\{[^}]*\}/gm,
      `generator dump {\n  provider = ${JSON.stringify(`node "${generator}"`)}\n  output   = ${JSON.stringify(output)}\n}`,
    );
    writeFileSync(join(dir, 'schema.prisma'), schema);
    execFileSync(
      process.execPath,
      [join(REPO, 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--schema', join(dir, 'schema.prisma')],
      {
        cwd: REPO,
        // `prisma generate` insists on a schema engine path it never uses (see scripts/lib.sh).
        env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    return JSON.parse(readFileSync(output, 'utf8')) as Datamodel;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The PostgreSQL type Prisma creates for a field, as `format_type()` prints it. */
function columnType(field: DmmfField): string {
  const [native, args = []] = field.nativeType ?? [undefined, []];
  const withArgs = (base: string) => (args.length > 0 ? `${base}(${args.join(',')})` : base);
  let type: string | undefined;
  switch (field.type) {
    case 'String':
      type =
        native === undefined || native === 'Text'
          ? 'text'
          : native === 'VarChar'
            ? withArgs('character varying')
            : undefined;
      break;
    case 'DateTime':
      if (native === undefined) type = 'timestamp(3) without time zone';
      else if (native === 'Date') type = 'date';
      else if (native === 'Timestamptz') type = `timestamp(${args[0] ?? 6}) with time zone`;
      else if (native === 'Timestamp') type = `timestamp(${args[0] ?? 6}) without time zone`;
      break;
    case 'Boolean':
      type = 'boolean';
      break;
    case 'Int':
      type = 'integer';
      break;
    case 'BigInt':
      type = 'bigint';
      break;
    case 'Float':
      type = 'double precision';
      break;
    case 'Decimal':
      type = native === undefined ? 'numeric(65,30)' : withArgs('numeric');
      break;
    case 'Json':
      type = native === 'Json' ? 'json' : 'jsonb';
      break;
    case 'Bytes':
      type = 'bytea';
      break;
  }
  if (type === undefined) {
    throw new Error(`schema-matches: no mapping for ${field.type} ${native ?? ''} yet; extend columnType()`);
  }
  return field.isList ? `${type}[]` : type;
}

/** The column default Prisma creates, as `pg_get_expr()` prints it, or null when the default lives in the client. */
function columnDefault(table: string, column: string, field: DmmfField): string | null {
  const value = field.default;
  if (value === undefined || value === null) return null;
  if (typeof value === 'object' && !Array.isArray(value) && 'name' in value) {
    const fn = value as { name: string; args: unknown[] };
    if (fn.name === 'now') return 'CURRENT_TIMESTAMP';
    if (fn.name === 'autoincrement') return `nextval('"${table}_${column}_seq"'::regclass)`;
    if (fn.name === 'dbgenerated') return String(fn.args[0]);
    return null; // cuid(), uuid(), nanoid(): generated by the client
  }
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'::text`;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
const columnOf = (model: DmmfModel, fieldName: string) => {
  const field = model.fields.find((f) => f.name === fieldName);
  if (!field) throw new Error(`${model.name}.${fieldName} not found`);
  return field.dbName ?? field.name;
};
const ACTIONS: Record<string, string> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

interface Catalogue {
  tables: string[];
  columns: string[];
  indexes: string[];
  foreignKeys: string[];
}

function declaredCatalogue(datamodel: Datamodel): Catalogue {
  const models = new Map(datamodel.models.map((m) => [m.name, m]));
  const model = (name: string) => {
    const found = models.get(name);
    if (!found) throw new Error(`model ${name} not found`);
    return found;
  };
  const tables: string[] = [];
  const columns: string[] = [];
  const foreignKeys: string[] = [];
  for (const m of datamodel.models) {
    const table = tableOf(m);
    tables.push(table);
    for (const f of m.fields) {
      if (f.kind === 'scalar' || f.kind === 'enum') {
        const column = f.dbName ?? f.name;
        const dflt = columnDefault(table, column, f);
        // Prisma Migrate emits scalar lists without NOT NULL (`"tags" TEXT[]`, prisma/orm#13880), required or not.
        columns.push(
          `${table}.${column} ${columnType(f)}${f.isRequired && !f.isList ? ' NOT NULL' : ''}` +
            (dflt === null ? '' : ` DEFAULT ${dflt}`),
        );
      }
      if (f.kind === 'object' && f.relationFromFields && f.relationFromFields.length > 0) {
        const from = f.relationFromFields.map((name) => columnOf(m, name));
        const target = model(f.type);
        const to = (f.relationToFields ?? []).map((name) => columnOf(target, name));
        const required = f.relationFromFields.every((name) => m.fields.find((x) => x.name === name)?.isRequired);
        const onDelete = ACTIONS[f.relationOnDelete ?? (required ? 'Restrict' : 'SetNull')];
        const onUpdate = ACTIONS[f.relationOnUpdate ?? 'Cascade'];
        foreignKeys.push(
          `${table}_${from.join('_')}_fkey ${table}(${from.join(',')}) -> ${tableOf(target)}(${to.join(',')}) ` +
            `ON DELETE ${onDelete} ON UPDATE ${onUpdate}`,
        );
      }
    }
  }
  const indexes = datamodel.indexes.map((index) => {
    const m = model(index.model);
    const table = tableOf(m);
    const cols = index.fields.map((f) => columnOf(m, f.name));
    const suffix = { id: 'pkey', unique: 'key', normal: 'idx', fulltext: 'idx' }[index.type];
    const name = index.dbName ?? (index.type === 'id' ? `${table}_pkey` : `${table}_${cols.join('_')}_${suffix}`);
    const kind = index.type === 'id' ? 'PRIMARY KEY' : index.type === 'unique' ? 'UNIQUE' : 'INDEX';
    return `${kind} ${name} ON ${table}(${cols.join(',')})`;
  });
  return { tables: tables.sort(), columns: columns.sort(), indexes: indexes.sort(), foreignKeys: foreignKeys.sort() };
}

// ---------------------------------------------------------------------------------------------------------------
// Actual: what the migrated database has.

const FK_ACTIONS: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

async function actualCatalogue(url: string): Promise<Catalogue> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table: string }>(`
      SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'`);
    const columns = await client.query<{
      table: string;
      column: string;
      type: string;
      notnull: boolean;
      dflt: string | null;
    }>(`
      SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
             a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS dflt
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'
        AND a.attnum > 0 AND NOT a.attisdropped`);
    const indexes = await client.query<{
      table: string;
      name: string;
      primary: boolean;
      unique: boolean;
      cols: string[];
    }>(`
      SELECT t.relname AS table, i.relname AS name, x.indisprimary AS primary, x.indisunique AS unique,
             array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS cols
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`);
    const fks = await client.query<{
      name: string;
      table: string;
      cols: string[];
      ref: string;
      refcols: string[];
      del: string;
      upd: string;
    }>(`
      SELECT con.conname AS name, t.relname AS table, r.relname AS ref,
             array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS cols,
             array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS refcols,
             con.confdeltype AS del, con.confupdtype AS upd
      FROM pg_constraint con
      JOIN pg_class t ON t.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND con.contype = 'f'`);
    return {
      tables: tables.rows.map((r) => r.table).sort(),
      columns: columns.rows
        .map(
          (r) =>
            `${r.table}.${r.column} ${r.type}${r.notnull ? ' NOT NULL' : ''}${r.dflt === null ? '' : ` DEFAULT ${r.dflt}`}`,
        )
        .sort(),
      indexes: indexes.rows
        .map(
          (r) =>
            `${r.primary ? 'PRIMARY KEY' : r.unique ? 'UNIQUE' : 'INDEX'} ${r.name} ON ${r.table}(${r.cols.join(',')})`,
        )
        .sort(),
      foreignKeys: fks.rows
        .map(
          (r) =>
            `${r.name} ${r.table}(${r.cols.join(',')}) -> ${r.ref}(${r.refcols.join(',')}) ` +
            `ON DELETE ${FK_ACTIONS[r.del]} ON UPDATE ${FK_ACTIONS[r.upd]}`,
        )
        .sort(),
    };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------------------

// Jest reads `testTimeout` only from the root config, not from a project, so the slow steps say so themselves:
// building the template database (first run) and running `prisma generate` take a few seconds.
const SLOW = 60_000;

let db: TestDatabase;
let declared: Catalogue;
let actual: Catalogue;

beforeAll(async () => {
  db = await createTestDatabase('schema-matches');
  declared = declaredCatalogue(readDeclaredDatamodel());
  actual = await actualCatalogue(db.url);
}, SLOW);

afterAll(async () => {
  await db?.drop();
}, SLOW);

describe('the migrated database matches prisma/schema.prisma', () => {
  test('the same tables', () => {
    expect(actual.tables).toEqual(declared.tables);
    expect(actual.tables).toContain('PlanEvent');
  });

  test('the same columns, types, nullability and defaults', () => {
    expect(actual.columns).toEqual(declared.columns);
  });

  test('the same primary keys, unique and plain indexes, under Prisma’s names', () => {
    expect(actual.indexes).toEqual(declared.indexes);
  });

  test('the same foreign keys and referential actions', () => {
    expect(actual.foreignKeys).toEqual(declared.foreignKeys);
  });

  test('the generated client works against it', async () => {
    await db.prisma.partnership.create({ data: { id: 'testshire', name: 'Testshire', policyId: 'england' } });
    await expect(db.prisma.partnership.count()).resolves.toBe(1);
  });
});

describe('PlanEvent is append-only', () => {
  beforeAll(async () => {
    const { prisma } = db;
    await prisma.partnership.upsert({
      where: { id: 'testshire' },
      create: { id: 'testshire', name: 'Testshire', policyId: 'england' },
      update: {},
    });
    await prisma.team.create({ data: { id: 'team-a', partnershipId: 'testshire', name: 'Team A' } });
    await prisma.child.create({
      data: { id: 'child-1', partnershipId: 'testshire', localChildId: 'L1', name: 'Test Child' },
    });
    await prisma.plan.create({
      data: {
        id: 'TST-2026-0001',
        partnershipId: 'testshire',
        teamId: 'team-a',
        childId: 'child-1',
        policyId: 'england',
        rulesVersion: 'england@1',
        type: 'child-protection',
        startedOn: new Date('2026-01-05'),
        workflowId: 'plan-TST-2026-0001',
      },
    });
    await prisma.planEvent.create({
      data: {
        id: 'evt-1',
        planId: 'TST-2026-0001',
        type: 'child-seen',
        on: new Date('2026-01-09'),
        payload: { id: 'evt-1', type: 'child-seen', on: '2026-01-09' },
      },
    });
  });

  test('an UPDATE is refused', async () => {
    await expect(
      db.prisma.planEvent.update({ where: { id: 'evt-1' }, data: { on: new Date('2026-01-10') } }),
    ).rejects.toThrow(/append-only/);
  });

  test('a DELETE and a TRUNCATE are refused', async () => {
    await expect(db.prisma.planEvent.delete({ where: { id: 'evt-1' } })).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRawUnsafe('TRUNCATE "PlanEvent" CASCADE')).rejects.toThrow(/append-only/);
  });

  test('the event is still there, unchanged, and new events are accepted', async () => {
    const event = await db.prisma.planEvent.findUniqueOrThrow({ where: { id: 'evt-1' } });
    expect(event.on.toISOString().slice(0, 10)).toBe('2026-01-09');
    await db.prisma.planEvent.create({
      data: { id: 'evt-2', planId: 'TST-2026-0001', type: 'plan-ended', on: new Date('2026-02-01'), payload: {} },
    });
    await expect(db.prisma.planEvent.count()).resolves.toBe(2);
  });
});

describe('scripts/migrate.ts', () => {
  test('records every migration the way Prisma does, with the sha256 of its file', async () => {
    const rows = await db.prisma.$queryRawUnsafe<
      Array<{ migration_name: string; checksum: string; applied_steps_count: number }>
    >(
      'SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    expect(rows).toEqual(
      readMigrations().map((m) => ({ migration_name: m.name, checksum: m.checksum, applied_steps_count: 1 })),
    );
  });

  test('is idempotent', async () => {
    await expect(applyMigrations(db.url)).resolves.toEqual({
      applied: [],
      alreadyApplied: readMigrations().map((m) => m.name),
    });
  });

  test('refuses when an applied migration was edited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corewatch-migrations-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const first = readMigrations(dir)[0]!;
      writeFileSync(join(dir, first.name, 'migration.sql'), `${first.sql}\n-- edited afterwards\n`);
      await expect(applyMigrations(db.url, { dir })).rejects.toThrow(MigrationError);
      await expect(applyMigrations(db.url, { dir })).rejects.toThrow(/modified after they were applied/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
