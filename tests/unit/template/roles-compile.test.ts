import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { checkTemplateSyntax } from "../../../src/template/render.js";
import { REPO_ROOT } from "../../helpers/cli.js";

function templatesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return templatesUnder(path);
    return name.endsWith(".hbs") ? [path] : [];
  });
}

describe("shipped role templates", () => {
  it("all compile in the template environment (known helpers only, balanced blocks)", () => {
    const problems = templatesUnder(join(REPO_ROOT, "roles"))
      .map((path) => checkTemplateSyntax(readFileSync(path, "utf8"), relative(REPO_ROOT, path)))
      .filter((error) => error !== undefined)
      .map((error) => error.oneLine());
    expect(problems).toEqual([]);
  });
});
