// Two projects so the fast pure tests can run alone (`npm run test:unit`) while the integration tier, which shares
// one Temporal server, one PostgreSQL and one SMTP catcher, always runs serially (see scripts/test.sh).
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
// cookie 2 (required by fastify's light-my-request, i.e. `app.inject`, and by @fastify/cookie) is ESM-only. Node
// 20.19+ loads it with require(esm), but jest's module system cannot, so the integration tier compiles it to CommonJS;
// @fastify/cookie loads it with a dynamic import(), which jest refuses outside --experimental-vm-modules, so it is
// compiled too (import() becomes require()).
const esmToCjs = [
  'ts-jest',
  { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } },
];
module.exports = {
  // Integration tests skip weeks of workflow time but wait for real activities; unit tests finish long before this.
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: [
        '<rootDir>/test/domain/**/*.test.ts',
        '<rootDir>/test/cli/**/*.test.ts',
        '<rootDir>/test/platform/**/*.test.ts',
        '<rootDir>/test/activities/email/**/*.test.ts',
        '<rootDir>/test/reports/**/*.test.ts',
      ],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform: {
        '^.+\\.ts$': tsJest,
        '/node_modules/(cookie|@fastify/cookie|content-disposition)/.+\\.js$': esmToCjs,
      },
      transformIgnorePatterns: ['/node_modules/(?!cookie/|@fastify/cookie/|content-disposition/)'],
      testMatch: [
        '<rootDir>/test/integration/**/*.test.ts',
        '<rootDir>/test/activities/*.test.ts',
        '<rootDir>/test/prisma/**/*.test.ts',
        '<rootDir>/test/workflows/**/*.test.ts',
        '<rootDir>/test/services/**/*.test.ts',
        '<rootDir>/test/http/**/*.test.ts',
      ],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
