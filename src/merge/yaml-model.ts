/**
 * YAML values typed the way PyYAML's `safe_load` types them (YAML 1.1), so that merging and
 * writing give what kolla's merge_yaml gives: integers are `bigint` (Python ints are unbounded and
 * `3` must stay distinct from the float `3.0`), floats are `number`.
 */

/** A YAML 1.1 timestamp, kept as the text PyYAML's `yaml.dump` writes for it. */
export class YamlTimestamp {
  constructor(readonly text: string) {}
}

export type YamlScalar = null | boolean | bigint | number | string | YamlTimestamp;
export type YamlValue = YamlScalar | YamlValue[] | YamlMapping;
/** A mapping; a `Map` keeps insertion order, allows non-string keys and cannot be prototype-polluted. */
export type YamlMapping = Map<YamlScalar, YamlValue>;

/** True for a mapping (Python dict). */
export function isMapping(value: YamlValue | undefined): value is YamlMapping {
  return value instanceof Map;
}
