/**
 * PyYAML's scalar typing, which is Ansible's: the YAML 1.1 implicit resolver (yaml/resolver.py) and
 * the SafeConstructor's scalar constructors (yaml/constructor.py), reimplemented without the `yaml`
 * package. So `yes` is true and `y` a string, `017` is 15 and `09` a string, `1e5` is a string (a
 * float needs a dot), `190:20:30` is 685230, `2001-12-14` is a date.
 */
import { pyFloat, pyInt, timestamp } from "./construct.js";
import { ConstructError, type PyScalar } from "./types.js";

/** The short names of the YAML 1.1 tags the resolver can give a plain scalar. */
export type ImplicitTag = "bool" | "float" | "int" | "merge" | "null" | "timestamp" | "value" | "str";

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;

/** Resolvers in PyYAML's registration order; PyYAML picks them by the first character, which these regexps already imply. */
const RESOLVERS: readonly [ImplicitTag, RegExp][] = [
  ["bool", BOOL], ["float", FLOAT], ["int", INT], ["merge", /^<<$/], ["null", NULL], ["timestamp", TIMESTAMP], ["value", /^=$/],
];

/**
 * The tag PyYAML's resolver gives a plain scalar (or one tagged `!`). Python's `re.match(...$)` also
 * matches before one final newline, which only a `!`-tagged quoted or block scalar can have.
 */
export function implicitTag(text: string): ImplicitTag {
  const subject = text.endsWith("\n") ? text.slice(0, -1) : text;
  for (const [tag, regexp] of RESOLVERS) if (regexp.test(subject)) return tag;
  return "str";
}

/** Builds the scalar of a YAML 1.1 tag (short name: "int", "bool", ...) from its text, as SafeConstructor does. */
export function construct(tag: "bool" | "float" | "int" | "null" | "timestamp" | "str", text: string): PyScalar {
  switch (tag) {
    case "null":
      return { type: "NoneType", value: null };
    case "str":
      return { type: "str", value: text };
    case "bool":
      return { type: "bool", value: constructBool(text) };
    case "int":
      return { type: "int", value: constructInt(text) };
    case "float":
      return { type: "float", value: constructFloat(text) };
    case "timestamp":
      return timestamp(text);
  }
}

const BOOL_VALUES: Readonly<Record<string, boolean>> = { yes: true, no: false, true: true, false: false, on: true, off: false };

function constructBool(text: string): boolean {
  const value = BOOL_VALUES[text.toLowerCase()];
  if (value === undefined) throw new ConstructError("not one of yes/no/true/false/on/off");
  return value;
}

/** Strips one sign the way construct_yaml_int/float do (an empty text is Python's IndexError). */
function splitSign(text: string): { negative: boolean; rest: string } {
  if (text === "") throw new ConstructError("an empty scalar");
  const negative = text.startsWith("-");
  return { negative, rest: text.startsWith("-") || text.startsWith("+") ? text.slice(1) : text };
}

function constructInt(text: string): bigint {
  const { negative, rest } = splitSign(text.replaceAll("_", ""));
  const sign = negative ? -1n : 1n;
  if (rest === "0") return 0n;
  if (rest.startsWith("0b")) return sign * pyInt(rest.slice(2), 2);
  if (rest.startsWith("0x")) return sign * pyInt(rest.slice(2), 16);
  if (rest.startsWith("0")) return sign * pyInt(rest, 8);
  if (rest.includes(":")) {
    // PyYAML adds the parts from the right, each times the next power of 60.
    let [value, base] = [0n, 1n];
    for (const part of rest.split(":").reverse()) [value, base] = [value + pyInt(part, 10) * base, base * 60n];
    return sign * value;
  }
  return sign * pyInt(rest, 10);
}

function constructFloat(text: string): number {
  const { negative, rest } = splitSign(text.replaceAll("_", "").toLowerCase());
  const sign = negative ? -1 : 1;
  if (rest === ".inf") return sign * Infinity;
  if (rest === ".nan") return NaN;
  if (rest.includes(":")) {
    let [value, base] = [0, 1];
    for (const part of rest.split(":").reverse()) [value, base] = [value + pyFloat(part) * base, base * 60];
    return sign * value;
  }
  return sign * pyFloat(rest);
}
