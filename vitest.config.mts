import { defineConfig } from 'vitest/config';

/**
 * Three levels (STYLE.md): unit tests next to the code, integration tests against a real
 * Strapi (SQLite, or PostgreSQL with DATABASE_CLIENT=postgres), end-to-end tests in real
 * Chromium. `threads`: Strapi's destroy() removes every process listener, which kills the
 * IPC channel of forked workers.
 */
export default defineConfig({
  test: {
    pool: 'threads',
    poolOptions: { threads: { minThreads: 1, maxThreads: 2 } },
    globalSetup: ['./tests/global-setup.ts'],
    // CI adds a JSON report so it can print one closing "N passed, N failed" line
    reporters: process.env.VITEST_JSON ? ['default', ['json', { outputFile: process.env.VITEST_JSON }]] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['plugins/*/server/src/**/__tests__/**/*.test.ts', 'plugins/*/tracker/**/__tests__/**/*.test.ts', 'scripts/**/__tests__/**/*.test.ts', 'src/**/__tests__/**/*.test.ts', 'bench/**/__tests__/**/*.test.ts', 'tests/unit/**/*.test.ts', 'packages/*/src/**/__tests__/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 180_000, maxConcurrency: 1 },
      },
      {
        extends: true,
        // the install path: packed plugins in a fresh Strapi app (minutes; SQLite only)
        test: { name: 'install', include: ['tests/install/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 1_200_000 },
      },
    ],
  },
});
