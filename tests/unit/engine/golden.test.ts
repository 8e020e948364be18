/** Golden argv: every tests/fixtures/engine/*.json pins the exact docker and podman command lines for one spec. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { driverFor } from "../../../src/engine/driver.js";
import type { ContainerSpec } from "../../../src/engine/types.js";
import { REPO_ROOT } from "../../helpers/cli.js";

interface Golden {
  spec: ContainerSpec;
  docker: { run: string[]; runOnce: string[] };
  podman: { run: string[]; runOnce: string[] };
}

const dir = join(REPO_ROOT, "tests", "fixtures", "engine");
const files = readdirSync(dir).filter((f) => f.endsWith(".json"));

describe("engine argv goldens", () => {
  it("finds the fixtures", () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });
  for (const file of files) {
    const golden = JSON.parse(readFileSync(join(dir, file), "utf8")) as Golden;
    for (const engine of ["docker", "podman"] as const) {
      it(`${file}: ${engine} run and one-shot run`, () => {
        const driver = driverFor(engine);
        expect(driver.run(golden.spec).argv).toEqual(golden[engine].run);
        expect(driver.runOnce(golden.spec).argv).toEqual(golden[engine].runOnce);
      });
    }
  }
});
