import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    // end-to-end tests spawn the built binary; a busy 2-core CI machine needs headroom
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
