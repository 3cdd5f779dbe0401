import { defineConfig } from 'vitest/config';

// One run covers the pure packages, the server (API and integration tests on PGlite, or on PostgreSQL
// when TEST_DATABASE_URL is set) and the web app's logic. Browser tests live in e2e/ (npm run test:e2e).
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/server/test/**/*.test.ts'],
    environment: 'node',
    // PGlite needs a few seconds to start in each file; integration files get room for that.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    env: { TZ: 'UTC' },
  },
});
