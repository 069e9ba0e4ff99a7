/**
 * The architecture's import rules, checked in CI by dependency-cruiser (`npm run deps`; scripts/test.sh runs it).
 * Paths are relative to the repository root. Type-only imports count everywhere (`tsPreCompilationDeps`): a type
 * import is still a dependency a reader has to follow, and a type-only cycle is still a cycle.
 *
 * What ESLint checks instead (eslint.config.mjs): what no import graph shows, i.e. the clock and randomness in the
 * domain, and the plan models reached through Prisma outside services/plan-data.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere, type-only imports included: shared types go in a module both sides import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'domain/ runs inside workflows, reports and the CLI alike: it imports only other domain modules and zod (for ' +
        'its input schemas). No Node built-ins, no I/O libraries, nothing from the layers above it.',
      from: { path: '^domain/' },
      to: { pathNot: ['^domain/', '^node_modules/zod/'] },
    },
    {
      name: 'workflows-are-deterministic',
      severity: 'error',
      comment:
        'Workflow code is replayed by Temporal and must give the same commands every time: it imports only the ' +
        'workflow SDK, the domain and other workflow modules (types shared with activities live in ' +
        'workflows/contracts.ts, so a workflow never imports activities, not even their types).',
      from: { path: '^workflows/' },
      to: { pathNot: ['^workflows/', '^domain/', '^node_modules/@temporalio/workflow/'] },
    },
    {
      name: 'test-code-stays-in-test',
      severity: 'error',
      comment:
        'Only tests (and the benchmarks in test/bench) import from test/: production code never ships test helpers.',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'http-not-worker',
      severity: 'error',
      comment: 'The HTTP layer and the worker are separate processes over shared platform/ modules.',
      from: { path: '^http/' },
      to: { path: '^worker/' },
    },
    {
      name: 'cli-commands-not-main',
      severity: 'error',
      comment:
        "CLI command modules import cli/command.ts, never the CLI's entry point cli/main.ts, which loads them " +
        '(only the bin, cli/corewatch.js, loads main).',
      from: { path: '^cli/', pathNot: '^cli/(main\\.ts|corewatch\\.js)$' },
      to: { path: '^cli/main\\.ts$' },
    },
    {
      name: 'platform-is-below-the-edges',
      severity: 'error',
      comment:
        'platform/ (config and connections) sits below everything that uses it: it imports no HTTP, service, ' +
        'activity, worker or CLI module.',
      from: { path: '^platform/' },
      to: { path: '^(http|services|activities|worker|cli)/' },
    },
  ],
  options: {
    // Packages and the generated Prisma client are leaves: rules still see an import of them, but their own
    // imports (and the generated client's internal cycles) are not ours to check.
    doNotFollow: { path: ['(^|/)node_modules/', '^prisma/generated/'] },
    exclude: { path: ['^dist/', '^test/artifacts/', '^\\.corewatch/'] },
    moduleSystems: ['cjs', 'es6'],
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
      extensions: ['.ts', '.d.ts', '.js', '.cjs', '.mjs', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
