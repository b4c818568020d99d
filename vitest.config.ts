import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources: the "source" export condition of our packages
// points at src/, so no build is needed before `npm test`.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Timed on the wall clock: run alone afterwards (packages/server/test/timers/vitest.config.ts).
    exclude: ['**/node_modules/**', 'packages/server/test/timers/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
