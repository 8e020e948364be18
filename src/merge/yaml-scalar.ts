/**
 * How PyYAML's `yaml.dump` turns a scalar into text and which quoting style it picks
 * (yaml/representer.py, yaml/emitter.py `analyze_scalar` / `choose_scalar_style`).
 */
import { pyFloatRepr } from "../yaml/python.js";
import { implicitTag } from "../yaml/index.js";
import { YamlTimestamp, type YamlScalar } from "./yaml-model.js";

export type ScalarStyle = "plain" | "single" | "double";

const BREAKS = "\n\x85\u2028\u2029";
const SPACE_OR_BREAK = "\0 \t\r\n\x85\u2028\u2029";

/** The text PyYAML's representer produces, and whether that text reads back as the same type unquoted. */
export function representScalar(value: YamlScalar): { text: string; implicit: boolean } {
  if (typeof value === "string") return { text: value, implicit: implicitTag(value) === "str" };
  if (value === null) return { text: "null", implicit: true };
  if (typeof value === "boolean") return { text: value ? "true" : "false", implicit: true };
  if (typeof value === "bigint") return { text: value.toString(), implicit: true };
  if (value instanceof YamlTimestamp) return { text: value.text, implicit: true };
  return { text: representFloat(value), implicit: true };
}

/** Python's `repr(float)` as PyYAML writes floats: `.nan`/`.inf`, and ".0" before a bare exponent (1.0e+16). */
export function representFloat(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
  const repr = pyFloatRepr(value);
  return repr.includes("e") && !repr.includes(".") ? repr.replace("e", ".0e") : repr;
}

interface Analysis {
  empty: boolean;
  multiline: boolean;
  allowPlain: boolean;
  allowSingle: boolean;
}

/** Which block-context styles a text allows (PyYAML with allow_unicode=False). */
export function analyzeScalar(text: string): Analysis {
  if (text === "") return { empty: true, multiline: false, allowPlain: true, allowSingle: true };
  const chars = [...text];
  let indicators = text.startsWith("---") || text.startsWith("...");
  let lineBreaks = false, special = false, breakSpace = false, spaceBreak = false;
  let previousSpace = false, previousBreak = false;
  chars.forEach((ch, index) => {
    const precededBySpace = index === 0 || SPACE_OR_BREAK.includes(chars[index - 1]!);
    const followedBySpace = index + 1 >= chars.length || SPACE_OR_BREAK.includes(chars[index + 1]!);
    if (index === 0 ? isLeadingIndicator(ch, followedBySpace) : isInnerIndicator(ch, precededBySpace, followedBySpace)) indicators = true;
    if (BREAKS.includes(ch)) lineBreaks = true;
    if (!(ch === "\n" || (ch >= " " && ch <= "~"))) special = true; // without allow_unicode, non-ASCII is escaped
    if (ch === " ") {
      if (previousBreak) breakSpace = true;
      [previousSpace, previousBreak] = [true, false];
    } else if (BREAKS.includes(ch)) {
      if (previousSpace) spaceBreak = true;
      [previousSpace, previousBreak] = [false, true];
    } else {
      [previousSpace, previousBreak] = [false, false];
    }
  });
  const edgeSpace = " \n\x85\u2028\u2029".includes(chars[0]!) || " \n\x85\u2028\u2029".includes(chars[chars.length - 1]!);
  const allowSingle = !(breakSpace || spaceBreak || special);
  return { empty: false, multiline: lineBreaks, allowPlain: allowSingle && !edgeSpace && !lineBreaks && !indicators, allowSingle };
}

function isLeadingIndicator(ch: string, followedBySpace: boolean): boolean {
  if ("#,[]{}&*!|>'\"%@`".includes(ch)) return true;
  return ("?:".includes(ch) || ch === "-") && followedBySpace;
}

function isInnerIndicator(ch: string, precededBySpace: boolean, followedBySpace: boolean): boolean {
  return (ch === ":" && followedBySpace) || (ch === "#" && precededBySpace);
}

/** PyYAML's choose_scalar_style for block context (no flow collections are ever written non-empty). */
export function chooseStyle(text: string, implicit: boolean, simpleKey: boolean): ScalarStyle {
  const analysis = analyzeScalar(text);
  if (implicit && !(simpleKey && (analysis.empty || analysis.multiline)) && analysis.allowPlain) return "plain";
  if (analysis.allowSingle && !(simpleKey && analysis.multiline)) return "single";
  return "double";
}
