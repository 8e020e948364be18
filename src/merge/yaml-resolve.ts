/**
 * PyYAML's YAML 1.1 implicit typing of plain scalars (yaml/resolver.py) and its constructors
 * (yaml/constructor.py SafeConstructor), reimplemented: `yes` is true, `012` is octal, `1:20` is 80,
 * `1e5` is a string (a 1.1 float needs a dot), `2001-12-14` is a date.
 */
import { YamlTimestamp, type YamlScalar } from "./yaml-model.js";

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/;
const TIMESTAMP_IMPLICIT =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;

/** The YAML 1.1 type a plain scalar resolves to, in PyYAML's resolver order. */
export type ImplicitType = "bool" | "float" | "int" | "merge" | "null" | "timestamp" | "value" | "str";

export function implicitType(text: string): ImplicitType {
  if (BOOL.test(text)) return "bool";
  if (FLOAT.test(text)) return "float";
  if (INT.test(text)) return "int";
  if (text === "<<") return "merge";
  if (NULL.test(text)) return "null";
  if (TIMESTAMP_IMPLICIT.test(text)) return "timestamp";
  if (text === "=") return "value";
  return "str";
}

/** Builds the value of a scalar of a known type; undefined when the text does not fit the type. */
export function constructScalar(type: ImplicitType, text: string): YamlScalar | undefined {
  switch (type) {
    case "bool":
      return BOOL.test(text) ? ["yes", "true", "on"].includes(text.toLowerCase()) : undefined;
    case "null":
      return null;
    case "int":
      return INT.test(text) ? constructInt(text) : undefined;
    case "float":
      return FLOAT.test(text) ? constructFloat(text) : undefined;
    case "timestamp":
      return constructTimestamp(text);
    case "str":
      return text;
    default:
      return undefined;
  }
}

function splitSign(text: string): { sign: bigint; digits: string } {
  const clean = text.replaceAll("_", "");
  if (clean.startsWith("-")) return { sign: -1n, digits: clean.slice(1) };
  return { sign: 1n, digits: clean.startsWith("+") ? clean.slice(1) : clean };
}

function constructInt(text: string): bigint {
  const { sign, digits } = splitSign(text);
  if (digits === "0") return 0n;
  if (digits.startsWith("0b")) return sign * BigInt(`0b${digits.slice(2)}`);
  if (digits.startsWith("0x")) return sign * BigInt(`0x${digits.slice(2)}`);
  if (digits.startsWith("0")) return sign * BigInt(`0o${digits.slice(1)}`);
  if (digits.includes(":")) return sign * sexagesimal(digits.split(":").map((part) => BigInt(part)));
  return sign * BigInt(digits);
}

function sexagesimal(parts: bigint[]): bigint {
  return parts.reduce((total, part) => total * 60n + part, 0n);
}

function constructFloat(text: string): number {
  const clean = text.replaceAll("_", "").toLowerCase();
  const sign = clean.startsWith("-") ? -1 : 1;
  const digits = clean.startsWith("-") || clean.startsWith("+") ? clean.slice(1) : clean;
  if (digits === ".inf") return sign * Infinity;
  if (digits === ".nan") return NaN;
  if (digits.includes(":")) return sign * digits.split(":").reduce((total, part) => total * 60 + Number(part), 0);
  return sign * Number(digits);
}

/** A timestamp as Python's `date.isoformat()` / `datetime.isoformat(' ')` would print it. */
function constructTimestamp(text: string): YamlTimestamp | undefined {
  const m = TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const pad = (part: string | undefined): string => (part ?? "0").padStart(2, "0");
  const date = `${m[1]}-${pad(m[2])}-${pad(m[3])}`;
  if (m[4] === undefined) return new YamlTimestamp(date);
  const fraction = (m[7] ?? "").slice(0, 6).padEnd(6, "0");
  const micro = /^0*$/.test(fraction) ? "" : `.${fraction}`;
  return new YamlTimestamp(`${date} ${pad(m[4])}:${m[5]}:${m[6]}${micro}${timezone(m[8], m[9], m[10], m[11])}`);
}

function timezone(tz: string | undefined, sign: string | undefined, hour: string | undefined, minute: string | undefined): string {
  if (tz === undefined) return "";
  // Python prints a zero offset, even "-00:00", as "+00:00".
  if (tz === "Z" || (Number(hour) === 0 && Number(minute ?? "0") === 0)) return "+00:00";
  return `${sign}${(hour ?? "0").padStart(2, "0")}:${minute ?? "00"}`;
}
