import { describe, expect, it } from "vitest";
import { renderTemplate } from "../../../src/template/render.js";
import { contextFor } from "./fixtures.js";

const render = (source: string, vars: Record<string, unknown> = {}, host = "ctl1") =>
  renderTemplate(source, "roles/test/templates/t.hbs", contextFor(vars, host));

describe("template helpers", () => {
  it("eq/ne compare strictly", () => {
    expect(render('{{eq a "x"}} {{eq a "y"}} {{ne a "y"}} {{eq n 5}} {{eq n "5"}}', { a: "x", n: 5 })).toBe("true false true true false");
  });

  it("lt/gt/le/ge compare numbers, numeric strings and text", () => {
    expect(render("{{lt 1 2}} {{gt 1 2}} {{le 2 2}} {{ge 1 2}}")).toBe("true false true false");
    expect(render('{{lt workers "10"}} {{gt "b" "a"}}', { workers: "9" })).toBe("true true");
    expect(() => render('{{lt 1 "x"}}')).toThrow(/lt cannot compare number 1 with string "x"/);
  });

  it("and/or/not follow #if truthiness and take any number of arguments", () => {
    expect(render("{{and 1 true \"x\"}} {{and 1 0}} {{or 0 \"\" list}} {{or 0 empty}} {{not empty}} {{not 1}}", { list: [1], empty: [] }))
      .toBe("true false true false true false");
    expect(render("{{#if (and (bool a) (not (bool b)))}}yes{{else}}no{{/if}}", { a: "yes", b: "no" })).toBe("yes");
  });

  it("bool uses Ansible truthiness", () => {
    const values = { t1: "True", t2: "YES", t3: "on", t4: "y", t5: "1", t6: 1, t7: true, f1: "no", f2: "false", f3: 0, f4: "", f5: null, f6: false, f7: "enabled", f8: 2 };
    const source = Object.keys(values).map((k) => `{{bool ${k}}}`).join(" ");
    expect(render(source, values)).toBe("true true true true true true true false false false false false false false false");
  });

  it("default replaces undefined, null and empty text, and accepts undefined variables", () => {
    expect(render('{{default missing "a"}} {{default nil "b"}} {{default empty "c"}} {{default zero "d"}} {{default set "e"}}', { nil: null, empty: "", zero: 0, set: "kept" }))
      .toBe("a b c 0 kept");
  });

  it("join, concat, upper, lower", () => {
    expect(render('{{join hosts ","}}|{{concat "a" n "-" flag}}|{{upper "rocky"}}|{{lower "ETH0"}}', { hosts: ["h1", "h2"], n: 5, flag: true }))
      .toBe("h1,h2|a5-true|ROCKY|eth0");
    expect(() => render('{{join notlist ","}}', { notlist: "abc" })).toThrow(/join expects a list, got string "abc"/);
  });

  it("json pretty-prints with 4 spaces", () => {
    expect(render("{{json v}}", { v: { a: [1, "<x>"], b: null } })).toBe('{\n    "a": [\n        1,\n        "<x>"\n    ],\n    "b": null\n}');
  });

  it("contains works on lists, text and mappings", () => {
    expect(render('{{contains l "b"}} {{contains l "z"}} {{contains s "ell"}} {{contains m "k"}} {{contains m "z"}}', { l: ["a", "b"], s: "hello", m: { k: 1 } }))
      .toBe("true false true true false");
  });

  it("first and length", () => {
    expect(render('{{first l}} {{first "abc"}} {{length l}} {{length "abcd"}} {{length m}}', { l: ["x", "y"], m: { a: 1, b: 2, c: 3 } })).toBe("x a 2 4 3");
    expect(() => render("{{first l}}", { l: [] })).toThrow(/first got an empty list/);
  });

  it("in_group defaults to the current host and accepts another host", () => {
    expect(render('{{in_group "control"}} {{in_group "compute"}} {{in_group "compute" "cmp1"}}')).toBe("true false true");
    expect(render('{{in_group "compute"}}', {}, "cmp1")).toBe("true");
  });

  it("group_hosts returns hosts in order and #each works over it with @first/@last/@index", () => {
    const source = '{{#each (group_hosts "memcached")}}{{#if @first}}[{{/if}}{{@index}}={{this}}:{{hostvar this "api_interface"}}{{#unless @last}},{{/unless}}{{#if @last}}]{{/if}}{{/each}}';
    expect(render(source)).toBe("[0=ctl1:eth1,1=ctl2:eth1]");
    expect(render('{{#each (group_hosts "nothing")}}x{{else}}none{{/each}}')).toBe("none");
  });

  it("hostvar reads another host's variable and fails on a missing one", () => {
    expect(render('{{hostvar "ctl2" "memcached_port"}}')).toBe("11211");
    expect(() => render('{{hostvar "ctl1" "memcached_port"}}')).toThrow(/hostvar: host ctl1 has no variable "memcached_port"/);
  });

  it("address resolves the IPv4 address of a host on the interface its variable names", () => {
    expect(render('{{address inventory_hostname "api_interface"}} {{address "cmp1" "api_interface"}}')).toBe("198.18.0.11 198.18.0.21");
  });

  it("address keeps the lookup's error code and adds the template location", () => {
    try {
      render('line one\n{{address "ctl1" "nonexistent"}}');
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe("E_FACTS_ADDRESS");
      expect((error as { oneLine(): string }).oneLine()).toMatch(/^roles\/test\/templates\/t\.hbs:2: \{\{address\}\}: no IPv4 address for ctl1/);
    }
  });

  it("rejects undefined arguments everywhere except default", () => {
    expect(() => render('{{eq missing "x"}}')).toThrow(/argument 1 of eq is undefined/);
    expect(() => render("{{upper missing}}")).toThrow(/argument 1 of upper is undefined/);
  });

  it("checks arity", () => {
    expect(() => render('{{eq "a"}}')).toThrow(/eq takes 2 argument\(s\), got 1/);
    expect(() => render('{{not "a" "b"}}')).toThrow(/not takes 1 argument\(s\), got 2/);
  });
});
