/**
 * Loads YAML text the way PyYAML's `yaml.safe_load` does (kolla's merge_yaml uses it, not Ansible's
 * loader: no JSON first, no `!unsafe`), into YamlValue. Parsing and typing are src/yaml's; this file
 * only maps its values onto the merge model (ints as bigint, timestamps as YamlTimestamp).
 */
import { buildTree, parseYaml, type PyScalar, type TreeAdapter, type YamlProblem } from "../yaml/index.js";
import { DeployError } from "../errors.js";
import { YamlTimestamp, type YamlMapping, type YamlScalar, type YamlValue } from "./yaml-model.js";

/** One YAML input: where it came from (for errors) and its text. */
export interface YamlSource {
  path: string;
  text: string;
}

/** Parses one YAML source; an empty document is null. Throws a DeployError naming file:line. */
export function loadYaml(source: YamlSource): YamlValue {
  const parsed = parseYaml(source.text, { loader: "safe_load" });
  const [problem] = parsed.problems;
  if (problem !== undefined) throw loadError(source, problem);
  return buildTree(parsed, parsed.doc.contents, MERGE_MODEL);
}

/** Our codes for src/yaml's problems; the scalar's text is never in the message (it may be a secret). */
const CODES: Readonly<Record<string, string>> = { E_YAML_CONSTRUCT: "E_YAML_TAG", E_YAML_MERGE: "E_YAML_MERGE_KEY", E_YAML_KEY: "E_YAML_KEY", E_YAML_ALIAS: "E_YAML_ALIAS" };

function loadError(source: YamlSource, problem: YamlProblem): DeployError {
  const where = { file: source.path, line: problem.line };
  if (problem.kind === "syntax") {
    const reason = problem.code === "MULTIPLE_DOCS" ? "the file holds more than one YAML document (kolla reads exactly one)" : problem.message;
    return new DeployError("E_YAML_PARSE", `Cannot parse YAML: ${reason}`, "fix the YAML syntax at that line", { where });
  }
  return new DeployError(CODES[problem.code] ?? "E_YAML_PARSE", `Cannot load YAML: ${problem.message}`, problem.hint, { where });
}

function mergeScalar(scalar: PyScalar): YamlScalar {
  if (scalar.type === "date" || scalar.type === "datetime") return new YamlTimestamp(scalar.value);
  return scalar.value;
}

/** Python dicts become Maps (any scalar key, insertion order, a repeated key keeps its place and takes the last value). */
const MERGE_MODEL: TreeAdapter<YamlValue> = {
  scalar: mergeScalar,
  sequence: (items) => items,
  mapping: (entries): YamlMapping => new Map(entries.map(([key, value]) => [mergeScalar(key), value])),
};
