import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import { renderJinjaString } from "../../../src/config/index.js";

const VARS: Record<string, unknown> = {
  release: "master",
  port: 5000,
  flag: true,
  dims: { ulimits: { nofile: 1048576 } },
  list: ["a", "b"],
  nothing: null,
};
const render = (text: string): unknown => renderJinjaString(text, (name) => VARS[name]);

describe("renderJinjaString()", () => {
  it("returns plain text unchanged", () => {
    expect(render("no templates here")).toBe("no templates here");
    expect(render("")).toBe("");
  });

  it("a string that is exactly one {{ expr }} keeps the native type", () => {
    expect(render("{{ port }}")).toBe(5000);
    expect(render("{{port}}")).toBe(5000);
    expect(render("{{ flag }}")).toBe(true);
    expect(render("{{ dims }}")).toEqual({ ulimits: { nofile: 1048576 } });
    expect(render("{{ list }}")).toEqual(["a", "b"]);
    expect(render("{{ nothing }}")).toBe(null);
    expect(render("{{ 'yes' | bool }}")).toBe(true);
  });

  it("mixed text renders to a string, Python-style", () => {
    expect(render("{{ release }}-debian")).toBe("master-debian");
    expect(render("port {{ port }}")).toBe("port 5000");
    expect(render("{{ flag }}!")).toBe("True!");
    expect(render("{{ list }} ")).toBe("['a', 'b'] ");
    expect(render("{{ nothing }}x")).toBe("Nonex");
    expect(render("{{ release }}{{ port }}")).toBe("master5000");
    expect(render(" {{ port }}")).toBe(" 5000");
  });

  it("supports whitespace control {{- and -}}", () => {
    expect(render("a  {{- release -}}  b")).toBe("amasterb");
  });

  it("a }} inside a string literal does not close the expression", () => {
    expect(render("{{ '}}' ~ release }}")).toBe("}}master");
  });

  it("statements and comments are unsupported, with a hint", () => {
    for (const text of ["{% if flag %}x{% endif %}", "{# note #}"]) {
      try {
        render(text);
        throw new Error("expected an error");
      } catch (error) {
        expect(error).toBeInstanceOf(DeployError);
        expect((error as DeployError).code).toBe("E_JINJA_UNSUPPORTED");
      }
    }
  });

  it("an unclosed {{ is a syntax error located where the caller says", () => {
    try {
      renderJinjaString("{{ release", () => undefined, { file: "globals.yml", line: 3, key: "openstack_tag" });
      throw new Error("expected an error");
    } catch (error) {
      const e = error as DeployError;
      expect(e.code).toBe("E_JINJA_SYNTAX");
      expect(e.oneLine()).toMatch(/^globals\.yml:3: openstack_tag: /);
    }
  });
});
