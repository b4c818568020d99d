import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:crash`: the crash suite (SIGKILLed `nagare serve` processes, minutes, not
// part of `npm test`). The two files run side by side: most of their time is waiting for
// the leases of killed nodes to run out.
export default defineConfig({
  root: fileURLToPath(new URL('../../../../', import.meta.url)),
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/server/test/crash/**/*.crash.ts'],
    testTimeout: 240_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
