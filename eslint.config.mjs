// @ts-check
/**
 * ESLint (flat config) with typescript-eslint's type-aware rules, checked in CI (`npm run lint`; scripts/test.sh runs
 * it). Import *graph* rules (cycles, which folder may import which) are dependency-cruiser's
 * (.dependency-cruiser.cjs); this file holds what needs the syntax tree:
 *   - promises: a floating or misused promise is an error (a lost rejection is a lost email or a lost event);
 *   - domain/: no clock and no randomness (the rules run inside replayed workflows, reports and the CLI alike);
 *   - domain/ and workflows/: no Node built-ins or I/O libraries (a second net under dependency-cruiser's rule);
 *   - the plan data rule: only services/plan-data/ touches the plan models through Prisma or raw SQL.
 * Every rule switched off below says why.
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The plan models, as Prisma client properties and as SQL table names. */
const PLAN_MODELS = ['plan', 'planEvent', 'planRole', 'obligation', 'eventDelivery', 'monthlyFigure', 'ruleCitation'];
const PLAN_TABLES = PLAN_MODELS.map((m) => m[0].toUpperCase() + m.slice(1));
const PLAN_DATA_MESSAGE = 'only services/plan-data/ reads or writes the plan models: call a function there instead';
const models = `/^(${PLAN_MODELS.join('|')})$/`;
const tables = `/"(${PLAN_TABLES.join('|')})"/`;

/** Selectors for no-restricted-syntax: a plan model reached through a Prisma client or transaction, or raw SQL. */
const planDataSyntax = [
  {
    // prisma.plan, tx.planEvent, db.obligation (a client, a transaction, or a test database's client)
    selector: `MemberExpression[object.type='Identifier'][object.name=/^(prisma|tx|db)$/][property.name=${models}]`,
    message: PLAN_DATA_MESSAGE,
  },
  {
    // deps.prisma.plan, and the same through any other holder of a client (this.prisma, options.prisma)
    selector: `MemberExpression[object.type='MemberExpression'][object.property.name='prisma'][property.name=${models}]`,
    message: PLAN_DATA_MESSAGE,
  },
  {
    // $queryRaw`... FROM "Plan" ...`, Prisma.sql`...`: a plan table named in a template literal
    selector: `TemplateElement[value.raw=${tables}]`,
    message: `${PLAN_DATA_MESSAGE} (raw SQL naming a plan table)`,
  },
  {
    // $queryRawUnsafe('... "PlanEvent" ...')
    selector: `Literal[value=${tables}]`,
    message: `${PLAN_DATA_MESSAGE} (raw SQL naming a plan table)`,
  },
];

/** Selectors for no-restricted-syntax in domain/: what the clock and randomness look like as syntax. */
const clockSyntax = [
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'domain/ does not read the clock: take the date (or epoch milliseconds) as an argument',
  },
  {
    selector: "CallExpression[callee.name='Date']",
    message: 'domain/ does not read the clock: Date() is the current time as text',
  },
  {
    // The calendar works in UTC day numbers: a local-time Date method gives a different answer on each server.
    selector:
      'CallExpression[callee.property.name=/^(get|set)(FullYear|Month|Date|Day|Hours|Minutes|Seconds|Milliseconds)$|^getTimezoneOffset$|^toLocale(Date|Time)?String$|^to(Date|Time)String$/]',
    message: "domain/ uses no local-time Date methods: use the UTC ones, or the calendar's London functions",
  },
];

/** Node built-ins and the I/O libraries that workflow and domain code must never load. */
const ioImports = {
  paths: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]
    .filter((m) => !m.startsWith('_'))
    .map((name) => ({
      name,
      message: 'no Node built-ins here: workflow and domain code is deterministic and does no I/O',
    })),
  patterns: [
    {
      group: ['@prisma/*', 'pg', 'pg-*', 'nodemailer', 'exceljs', 'fastify', '@fastify/*', '**/prisma/generated/**'],
      message:
        'no I/O libraries here: workflow and domain code is deterministic; I/O belongs in activities/ or services/',
    },
  ],
};

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'prisma/generated/',
      'test/artifacts/',
      'test-artifacts/',
      '.corewatch/',
      'scripts/temporal-test-server/',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  // The few plain JavaScript files (the bin, jest's and the tools' configs, the OIDC test provider): ESLint's own
  // recommended rules, no type information.
  {
    files: ['**/*.{js,cjs,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: {
      // Node's globals, named here rather than through another package: these files use only these.
      globals: Object.fromEntries(
        [
          'require',
          'module',
          'process',
          'console',
          '__dirname',
          'setTimeout',
          'setInterval',
          'clearTimeout',
          'clearInterval',
          'URL',
          'Buffer',
        ].map((name) => [name, name === 'module' ? 'writable' : 'readonly']),
      ),
    },
  },

  // All TypeScript: the recommended type-checked set, over the one tsconfig.json (its `include` is the list of
  // source folders, so every linted file is in the program).
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // tsc's noUnusedLocals/noUnusedParameters already fail the build on these; a second report says nothing new.
      '@typescript-eslint/no-unused-vars': 'off',
      // An `async` function without `await` is how this code meets a Promise-returning contract (Command.run,
      // Fastify route handlers, test doubles of async dependencies) and turns a throw into a rejection; the rule
      // would ask for `Promise.resolve(...)` wrappers instead, which say less. Forgotten awaits are what
      // no-floating-promises and no-misused-promises catch.
      '@typescript-eslint/require-await': 'off',
      // Every `require` left is deliberate and typed at the call: cli/main.ts loads commands lazily (a plain
      // `require`, not `import()`, because the bin registers tsx for CommonJS), and the history tools reach
      // protobufjs's protojson through @temporalio/proto's own copy. tsc (module: commonjs) checks every `import`.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },

  // Tests read HTTP and CLI output with `JSON.parse` / `response.json()` (typed `any`) and pin its shape with
  // `expect`: the unsafe-any rules would ask for a cast on every response, which adds no safety to an assertion.
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  // The plan data rule: outside services/plan-data/ (and the tests and scripts, which seed and inspect rows), no
  // code reaches the plan models through Prisma or names their tables in SQL.
  {
    files: ['**/*.ts'],
    ignores: ['services/plan-data/**', 'test/**', 'scripts/**'],
    rules: { 'no-restricted-syntax': ['error', ...planDataSyntax] },
  },

  // domain/ and workflows/: no I/O. dependency-cruiser forbids these too; this says so in the editor.
  {
    files: ['domain/**/*.ts', 'workflows/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', ioImports] },
  },

  // domain/: no clock, no randomness, no environment. (Workflows may read the clock: the SDK makes Date.now()
  // workflow time.) no-restricted-syntax repeats the plan data selectors: a later block replaces a rule's options.
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...planDataSyntax, ...clockSyntax],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'domain/ does not read the clock: take the date as an argument' },
        { object: 'Math', property: 'random', message: 'domain/ uses no randomness: its results must be repeatable' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'domain/ reads no environment: config is parsed in platform/env.ts and passed in' },
        {
          name: 'Intl',
          message: "domain/ does not use Intl: time zones come from the calendar's own rules, not the host's ICU data",
        },
        { name: 'performance', message: 'domain/ does not read the clock' },
        { name: 'crypto', message: 'domain/ uses no randomness: its results must be repeatable' },
        { name: 'globalThis', message: 'domain/ reaches no globals (globalThis.process, globalThis.Date.now...)' },
      ],
    },
  },
);
