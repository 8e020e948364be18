/**
 * Writing YAML that PyYAML (Ansible, openstacksdk) reads back with the same types: a string is quoted
 * whenever PyYAML would type its plain form (`yes`, `0755`, `1:20`, `2001-12-14`, `0b1`), which the
 * `yaml` package's own YAML 1.2 rules would leave plain.
 */
import { stringify, type ScalarTag, type ToStringOptions, type SchemaOptions } from "yaml";
import { implicitTag } from "./resolve.js";

/**
 * Never used to read: its only job is its `test`, which the package's string writer consults to decide
 * whether a plain string would read back as something else.
 */
const PYYAML_TYPED: ScalarTag = {
  tag: "tag:kolla-deploy,2025:pyyaml-typed",
  default: true,
  test: { test: (text: string) => implicitTag(text) !== "str" } as unknown as RegExp,
  resolve: (text: string) => text,
};

const OPTIONS: SchemaOptions & ToStringOptions = { lineWidth: 0, customTags: [PYYAML_TYPED] };

/** A whole value as block YAML, for display and for files Python reads (clouds.yaml). */
export function stringifyYaml(value: unknown): string {
  return stringify(value, OPTIONS);
}

/** One string as a single-line YAML scalar (plain when that reads back as the same string). */
export function scalarText(value: string): string {
  return stringify(value, OPTIONS).trimEnd();
}
