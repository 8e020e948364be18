import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    clearMocks: true,
    restoreMocks: true,
    // Generous: many tests spawn the CLI (tsx), which takes 10-30 s on a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
