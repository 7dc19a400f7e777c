import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
          // A guard against hangs, not a speed assertion: CI machines are shared and busy.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'kernel',
          include: ['tests/kernel/**/*.test.ts'],
          // Real namespaces and processes: one file at a time keeps failures readable.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'ssh',
          include: ['tests/ssh/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
