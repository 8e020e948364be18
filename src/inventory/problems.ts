/** Builders for the inventory's operator-facing errors, so codes and hints stay consistent. */
import { DeployError } from "../errors.js";

export function inventoryError(code: string, file: string, line: number | undefined, message: string, hint: string): DeployError {
  return new DeployError(code, message, hint, { where: line === undefined ? { file } : { file, line } });
}

export const HINTS = {
  section: "a section header is [group], [group:vars] or [group:children], with no spaces",
  range: "ranges look like node[01:10], node[a:c] or node[0:10:2], with begin <= end",
  vars: "each line of a [group:vars] section is key=value",
  hostVars: "host variables follow the host name as key=value, quoted if they contain spaces",
  children: "each line of a [group:children] section is one group name",
  undefinedGroup: "declare the group with its own [group] or [group:children] section (it may be empty)",
  yaml: "fix the YAML syntax at that line (indentation, colons, quotes)",
  yamlShape: "a YAML inventory maps group names to {hosts, children, vars}; see docs/inventory.md",
  loop: "a group cannot be its own ancestor; remove one of the :children lines",
  missing: "check the -i path; it must be an inventory file or a directory of them",
} as const;
