/**
 * Ansible's `| bool`, shared by the Jinja expression subset (src/config) and the template helpers
 * (src/template), so that a flag means the same thing in defaults.yml and in a template.
 * Real booleans as they are; the number 1 and the strings yes/on/true/1/y (any case) are true.
 */
const TRUE_STRINGS = new Set(["yes", "on", "true", "1", "y"]);

export function ansibleBool(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1;
  if (typeof value === "string") return TRUE_STRINGS.has(value.toLowerCase());
  return false;
}
