import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import { checkTemplateSyntax, renderTemplate, renderValue } from "../../../src/template/render.js";
import { compiledTemplateCount } from "../../../src/template/env.js";
import type { Vars } from "../../../src/inventory/types.js";
import { contextFor, lookup } from "./fixtures.js";

const NAME = "roles/keystone/templates/keystone.conf.hbs";

function renderError(source: string, vars: Vars = {}): DeployError {
  try {
    renderTemplate(source, NAME, contextFor(vars));
  } catch (error) {
    expect(error).toBeInstanceOf(DeployError);
    return error as DeployError;
  }
  throw new Error("expected the template to fail");
}

/** A lazy variables object like the vars layer's: resolves on read, records what was read. */
function lazyVars(table: Record<string, unknown>) {
  const reads: PropertyKey[] = [];
  const enumerations: string[] = [];
  const vars = new Proxy({} as Vars, {
    get(_target, key) {
      if (typeof key !== "string" || !(key in table)) throw new Error(`lazy vars: unexpected read of ${String(key)}`);
      reads.push(key);
      return table[key];
    },
    has: (_target, key) => typeof key === "string" && key in table,
    ownKeys() {
      enumerations.push("ownKeys");
      return Object.keys(table);
    },
    getOwnPropertyDescriptor: (_target, key) =>
      typeof key === "string" && key in table ? { value: table[key], writable: true, enumerable: true, configurable: true } : undefined,
  });
  return { vars, reads, enumerations };
}

describe("renderTemplate()", () => {
  it("does not escape: <, &, quotes pass through", () => {
    const out = renderTemplate("{{v}} {{{v}}} <&\"'>", NAME, contextFor({ v: `<a href="x">&amp;'</a>` }));
    expect(out).toBe(`<a href="x">&amp;'</a> <a href="x">&amp;'</a> <&"'>`);
  });

  it("renders nested paths, #with, #unless and ../ parent lookups", () => {
    const vars = { svc: { name: "keystone", port: 5000 }, items: ["a", "b"], top: "T" };
    expect(renderTemplate("{{#with svc}}{{name}}:{{port}}{{/with}} {{#each items}}{{this}}{{../top}}{{/each}} {{#unless off}}on{{/unless}}", NAME, contextFor({ ...vars, off: false })))
      .toBe("keystone:5000 aTbT on");
  });

  it("an undefined variable is an error naming template:line and column", () => {
    const error = renderError("[DEFAULT]\ndebug = {{debug}}\nbind = {{ bind_host }}\n", { debug: "False" });
    expect(error.code).toBe("E_TEMPLATE_UNDEFINED");
    expect(error.where).toEqual({ file: NAME, line: 3 });
    expect(error.oneLine()).toMatch(/^roles\/keystone\/templates\/keystone\.conf\.hbs:3: undefined variable "bind_host" \(column 11\) \[E_TEMPLATE_UNDEFINED\] \(hint: .+\)$/);
  });

  it("undefined nested paths name the whole path", () => {
    expect(renderError("{{svc.missing}}", { svc: {} }).message).toMatch(/undefined variable "svc.missing"/);
    const deep = renderError("a\n\n{{nothere.x.y}}");
    expect(deep.where?.line).toBe(3);
    expect(deep.message).toMatch(/undefined variable in "nothere.x.y"/);
  });

  it("undefined variables inside #each are reported at their line", () => {
    const error = renderError("{{#each hosts}}\n  {{name}} {{port}}\n{{/each}}", { hosts: [{ name: "a", port: 1 }, { name: "b" }] });
    expect(error.where?.line).toBe(2);
    expect(error.message).toMatch(/"port"/);
  });

  it("syntax errors are one line with the template line", () => {
    const error = renderError("ok\n{{#if a}}\nno close\n");
    expect(error.code).toBe("E_TEMPLATE_SYNTAX");
    expect(error.oneLine()).not.toContain("\n");
    expect(error.oneLine()).toMatch(/^roles\/keystone\/templates\/keystone\.conf\.hbs:\d+: template syntax error/);
    const mismatch = renderError("x\n{{#if a}}{{/each}}", { a: 1 });
    expect(mismatch.where?.line).toBe(2);
    expect(mismatch.message).toMatch(/if doesn't match each/);
    expect(renderError("{{ bad }\n").oneLine()).toMatch(/:1: template syntax error/);
  });

  it("an unknown helper fails with the list of known helpers", () => {
    const error = renderError("line\n{{ uper name }}", { name: "x" });
    expect(error.code).toBe("E_TEMPLATE_UNKNOWN_HELPER");
    expect(error.where?.line).toBe(2);
    expect(error.hint).toMatch(/upper/);
  });

  it("works through a lazy Proxy without enumerating or cloning it", () => {
    const { vars, reads, enumerations } = lazyVars({ inventory_hostname: "ctl1", a: "A", b: { c: "C" }, unused: "U" });
    const out = renderTemplate("{{a}}-{{b.c}}-{{default maybe \"d\"}}-{{in_group \"control\"}}", NAME, { vars, host: "ctl1", lookup });
    expect(out).toBe("A-C-d-true");
    expect(reads).not.toContain("unused");
    expect(enumerations).toEqual([]);
  });

  it("reports an undefined variable through a Proxy that refuses unexpected reads", () => {
    const { vars } = lazyVars({ a: "A" });
    try {
      renderTemplate("\n{{zzz}}", NAME, { vars, host: "ctl1", lookup });
      expect.unreachable();
    } catch (error) {
      expect((error as DeployError).oneLine()).toMatch(/keystone\.conf\.hbs:2: undefined variable "zzz"/);
    }
  });

  it("works through a Proxy with only get/has traps and with inherited (layered) variables", () => {
    const table: Record<string, unknown> = { a: "A" };
    const minimal = new Proxy({} as Vars, { get: (_t, k) => table[k as string], has: (_t, k) => k in table });
    expect(renderTemplate("{{a}}", NAME, { vars: minimal, host: "ctl1", lookup })).toBe("A");
    const layered = Object.create({ from_group: "G", nested: { x: 1 } }) as Vars;
    layered.own = "O";
    expect(renderTemplate("{{own}} {{from_group}} {{nested.x}}", NAME, { vars: layered, host: "ctl1", lookup })).toBe("O G 1");
  });

  it("keeps prototype methods out of reach", () => {
    expect(renderTemplate("[{{constructor}}][{{lookup this \"__proto__\"}}]", NAME, contextFor({}))).toBe("[][]");
  });

  it("compiles each distinct source once", () => {
    const source = `cache test {{a}} ${Math.random()}`;
    const before = compiledTemplateCount();
    expect(renderTemplate(source, NAME, contextFor({ a: 1 }))).toMatch(/^cache test 1/);
    expect(renderTemplate(source, "other.hbs", contextFor({ a: 2 }))).toMatch(/^cache test 2/);
    expect(compiledTemplateCount()).toBe(before + 1);
  });
});

describe("renderValue()", () => {
  it("renders every string in a structure and leaves other values alone", () => {
    const role = {
      services: {
        memcached: {
          group: "memcached",
          image: "{{docker_registry}}/{{docker_namespace}}/memcached:{{openstack_tag}}",
          volumes: ["{{node_config_directory}}/memcached/:/var/lib/kolla/config_files/:ro", "kolla_logs:/var/log/kolla/"],
          enabled: true,
          port: 11211,
          extra: null,
        },
      },
    };
    const vars = { docker_registry: "quay.io", docker_namespace: "openstack.kolla", openstack_tag: "master-rocky-10", node_config_directory: "/etc/kolla" };
    expect(renderValue(role, "roles/memcached/role.yml", contextFor(vars))).toEqual({
      services: {
        memcached: {
          group: "memcached",
          image: "quay.io/openstack.kolla/memcached:master-rocky-10",
          volumes: ["/etc/kolla/memcached/:/var/lib/kolla/config_files/:ro", "kolla_logs:/var/log/kolla/"],
          enabled: true,
          port: 11211,
          extra: null,
        },
      },
    });
  });

  it("names the file and the field path in errors", () => {
    try {
      renderValue({ services: { memcached: { volumes: ["ok", "{{nope}}/x"] } } }, "roles/memcached/role.yml", contextFor({}));
      expect.unreachable();
    } catch (error) {
      expect((error as DeployError).where).toEqual({ file: "roles/memcached/role.yml", key: "services.memcached.volumes[1]" });
      expect((error as DeployError).oneLine()).toMatch(/^roles\/memcached\/role\.yml: services\.memcached\.volumes\[1\]: undefined variable "nope"/);
    }
  });
});

describe("checkTemplateSyntax()", () => {
  it("returns undefined for a good template and a located error for a bad one", () => {
    expect(checkTemplateSyntax("{{#each (group_hosts \"x\")}}{{this}}{{/each}}", NAME)).toBeUndefined();
    expect(checkTemplateSyntax("a\nb\n{{#if x}}", NAME)?.code).toBe("E_TEMPLATE_SYNTAX");
    expect(checkTemplateSyntax("a\n{{frobnicate x}}", NAME)?.where).toEqual({ file: NAME, line: 2 });
  });
});
