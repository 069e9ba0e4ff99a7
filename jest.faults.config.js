// The fault suite (`npm run test:faults`, scripts/test-faults.sh): real processes killed and restarted, real outages.
// Its own config, so `npm test`'s jest run never picks it up; it reuses the integration tier's transform and global
// setup (PostgreSQL started, the template database, the prebuilt workflow bundle).
const { projects } = require('./jest.config.js');

const integration = projects.find((p) => p.displayName === 'integration');

module.exports = {
  // A scenario runs for minutes (a burst of 1,000 plans, outages measured in tens of seconds).
  testTimeout: 600000,
  projects: [{ ...integration, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.ts'] }],
};
