import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The timer test measures lateness on the wall clock (T12: p99 ≤ 1 s), so it runs on its own
// after the other tests (`npm test` runs both): beside a hundred other test files on two
// cores it would measure their load, not the runtime.
export default defineConfig({
  root: fileURLToPath(new URL('../../../../', import.meta.url)),
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/server/test/timers/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
