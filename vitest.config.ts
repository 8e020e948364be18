import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    clearMocks: true,
    restoreMocks: true,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration tests share one test bed; running their files in parallel would race on hosts.
    fileParallelism: true,
  },
});
