/**
 * Golden commands: each tests/fixtures/steps/*.json pins, for docker and podman, the exact commands
 * (argv, stdin, success rules, secrets to redact) that one step kind or container change builds
 * from its input. Regenerate after an intended change with UPDATE_GOLDENS=1, and review the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { driverFor } from "../../../src/engine/driver.js";
import type { ContainerSpec } from "../../../src/engine/types.js";
import { containerCommands } from "../../../src/plan/steps/containers.js";
import { stepCommands } from "../../../src/plan/steps/index.js";
import type { ContainerAction, PlannedCommand } from "../../../src/plan/types.js";
import type { BootstrapStep } from "../../../src/roles/index.js";
import { REPO_ROOT } from "../../helpers/cli.js";
import { fxFullSpec } from "../../fixtures/engine/fx-full-spec.js";

interface StepInput {
  readonly step?: BootstrapStep;
  readonly container?: { action: ContainerAction; imagePresent: boolean; graceSec: number; insecureRegistry: boolean };
  readonly vars: Record<string, string>;
}

interface Golden {
  readonly input: StepInput;
  readonly docker: unknown;
  readonly podman: unknown;
}

const dir = join(REPO_ROOT, "tests", "fixtures", "steps");
const spec: ContainerSpec = { ...fxFullSpec, name: "keystone", image: "registry:5000/kolla/keystone:t1" };

/** `{{ name }}` becomes `<name>`: the builders take rendering as given; the template engine has its own tests. */
function render(text: string): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => `<${name}>`);
}

function build(input: StepInput, engine: "docker" | "podman"): PlannedCommand[] {
  const driver = driverFor(engine);
  if (input.container !== undefined) return containerCommands(input.container.action, spec, driver, input.container);
  return stepCommands(input.step!, { render, vars: input.vars, driver, spec, where: "roles/x/role.yml: bootstrap[0]" });
}

/** Plain data for the golden file: the command, its rules, and its secrets. */
function asData(commands: readonly PlannedCommand[]): unknown {
  return JSON.parse(JSON.stringify(commands));
}

const files = readdirSync(dir).filter((f) => f.endsWith(".json"));

describe("step command goldens", () => {
  it("covers every step kind and every container action", () => {
    const inputs = files.map((f) => (JSON.parse(readFileSync(join(dir, f), "utf8")) as Golden).input);
    const kinds = new Set(inputs.flatMap((i) => (i.step ? [i.step.kind] : [])));
    const actions = new Set(inputs.flatMap((i) => (i.container ? [i.container.action] : [])));
    expect([...kinds].sort()).toEqual(["database", "exec", "keystone_register", "one_shot"]);
    expect([...actions].sort()).toEqual(["create", "none", "recreate", "restart"]);
  });
  for (const file of files) {
    it(file, () => {
      const golden = JSON.parse(readFileSync(join(dir, file), "utf8")) as Golden;
      const built = { docker: asData(build(golden.input, "docker")), podman: asData(build(golden.input, "podman")) };
      if (process.env.UPDATE_GOLDENS === "1") writeFileSync(join(dir, file), JSON.stringify({ input: golden.input, ...built }, null, 2) + "\n");
      expect(built.docker).toEqual(golden.docker);
      expect(built.podman).toEqual(golden.podman);
    });
  }
});
