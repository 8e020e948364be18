/**
 * Which constructor a node gets, from its tag and style: PyYAML's composer/constructor rules, plus
 * the tags Ansible's AnsibleLoader adds (`!unsafe`, `!vault`), plus JSON's typing for a text
 * Ansible read as JSON (its `from_yaml` tries `json.loads` first).
 */
import { construct, implicitTag } from "./resolve.js";
import { ConstructError, type PyScalar } from "./types.js";

/** `ansible`: Ansible's from_yaml (globals, passwords, inventories, role files); `safe_load`: PyYAML's yaml.safe_load (kolla's merge_yaml). */
export type Loader = "ansible" | "safe_load";

/** How a scalar was written. `plain` is false for quoted and block scalars. */
export interface ScalarSyntax {
  readonly text: string;
  readonly plain: boolean;
  readonly tag: string | undefined;
  /** The scalar is a mapping key: `<<` there is a merge key, `=` a string. */
  readonly isKey: boolean;
}

/** A scalar's value, or the marker of a `<<` merge key. */
export type Typed = PyScalar | { readonly type: "merge" };

const YAML = "tag:yaml.org,2002:";
const SCALAR_TAGS = ["bool", "float", "int", "null", "timestamp", "str"] as const;
type ScalarTag = (typeof SCALAR_TAGS)[number];
const ANSIBLE_STR = ["!unsafe", `${YAML}python/unicode`];
const VAULT = ["!vault", "!vault-encrypted"];

export function typeScalar(s: ScalarSyntax, loader: Loader): Typed {
  // PyYAML resolves a scalar tagged with the non-specific `!` as if it were plain, even a quoted one.
  if (s.tag === "!" || (s.tag === undefined && s.plain)) return implicit(s);
  if (s.tag === undefined) return { type: "str", value: s.text };
  if (s.tag === `${YAML}merge`) return mergeKey(s);
  const short = s.tag.startsWith(YAML) ? s.tag.slice(YAML.length) : "";
  if ((SCALAR_TAGS as readonly string[]).includes(short)) return construct(short as ScalarTag, s.text);
  if (loader === "ansible" && ANSIBLE_STR.includes(s.tag)) return { type: "str", value: s.text };
  if (loader === "ansible" && VAULT.includes(s.tag)) {
    throw new ConstructError(`${s.tag} values are encrypted with Ansible Vault, which kolla-deploy cannot decrypt`);
  }
  throw new ConstructError(`no constructor for the tag ${s.tag}`);
}

function implicit(s: ScalarSyntax): Typed {
  const tag = implicitTag(s.text);
  if (tag === "merge") return mergeKey(s);
  if (tag === "value") {
    if (s.isKey) return { type: "str", value: s.text };
    throw new ConstructError(`no constructor for the tag ${YAML}value (a lone "=")`);
  }
  return construct(tag, s.text);
}

function mergeKey(s: ScalarSyntax): Typed {
  if (s.isKey) return { type: "merge" };
  throw new ConstructError(`no constructor for the tag ${YAML}merge (a "<<" that is not a mapping key)`);
}

/** The tags a mapping or a sequence may carry; anything else has no constructor. */
export function checkCollectionTag(tag: string | undefined, kind: "map" | "seq", loader: Loader): void {
  if (tag === undefined || tag === "!" || tag === `${YAML}${kind}`) return;
  if (loader === "ansible" && (tag === "!unsafe" || (kind === "map" && tag === `${YAML}python/dict`))) return;
  const unsupported = ["set", "omap", "pairs"].includes(tag.slice(YAML.length)) && tag.startsWith(YAML);
  throw new ConstructError(unsupported ? `${tag} collections are not supported` : `no constructor for the tag ${tag} on a ${kind === "map" ? "mapping" : "sequence"}`);
}

const JSON_INT = /^-?(?:0|[1-9][0-9]*)$/;

/** Python's json module: true/false/null, int without a fraction or exponent, float otherwise (NaN and ±Infinity too). */
export function typeJsonScalar(text: string, plain: boolean): PyScalar {
  if (!plain) return { type: "str", value: text };
  if (text === "true" || text === "false") return { type: "bool", value: text === "true" };
  if (text === "null") return { type: "NoneType", value: null };
  if (JSON_INT.test(text)) return { type: "int", value: BigInt(text) };
  if (text === "NaN") return { type: "float", value: NaN };
  if (text === "Infinity" || text === "-Infinity") return { type: "float", value: text === "Infinity" ? Infinity : -Infinity };
  return { type: "float", value: Number(text) };
}

/**
 * True when Python's `json.loads` accepts the text: JSON, plus the NaN/Infinity/-Infinity literals
 * Python allows outside strings (swapped for 0 before asking JSON.parse).
 */
export function isPythonJson(text: string): boolean {
  try {
    JSON.parse(text.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (m) => (m.startsWith('"') ? m : "0")));
    return true;
  } catch {
    return false;
  }
}
