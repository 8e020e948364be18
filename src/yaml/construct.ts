/**
 * The Python built-ins PyYAML's constructors lean on: `int(text, base)`, `float(text)` and
 * `datetime.date`/`datetime.datetime` with their range checks and `str()` spelling. Only what the
 * constructors can reach is covered (ASCII digits; the callers have already removed underscores).
 */
import { ConstructError, type PyScalar } from "./types.js";

const DIGITS: Readonly<Record<number, RegExp>> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };
const PREFIX: Readonly<Record<number, RegExp>> = { 2: /^0[bB]/, 8: /^0[oO]/, 16: /^0[xX]/ };
const RADIX: Readonly<Record<number, string>> = { 2: "0b", 8: "0o", 10: "", 16: "0x" };

/** Python's `int(text, base)`: surrounding whitespace, a sign and the base's own prefix are allowed. */
export function pyInt(text: string, base: 2 | 8 | 10 | 16): bigint {
  let rest = text.trim();
  const negative = rest.startsWith("-");
  if (negative || rest.startsWith("+")) rest = rest.slice(1);
  const prefix = PREFIX[base];
  if (prefix !== undefined) rest = rest.replace(prefix, "");
  if (!DIGITS[base]!.test(rest)) throw new ConstructError(`not an integer in base ${base}`);
  const value = BigInt(`${RADIX[base]}${rest}`);
  return negative ? -value : value;
}

const FLOAT_TEXT = /^[-+]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?|inf|infinity|nan)$/i;

/** Python's `float(text)`: decimal or exponent notation, inf/infinity/nan, surrounding whitespace. */
export function pyFloat(text: string): number {
  const clean = text.trim();
  if (!FLOAT_TEXT.test(clean)) throw new ConstructError("not a floating point number");
  const lower = clean.toLowerCase().replace(/^\+/, "");
  const negative = lower.startsWith("-");
  const body = negative ? lower.slice(1) : lower;
  const value = body === "nan" ? NaN : body.startsWith("inf") ? Infinity : Number(body);
  return negative ? -value : value;
}

/** SafeConstructor.timestamp_regexp (its `$` also matches before a final newline). */
const TIMESTAMP =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?\n?$/;

const pad = (value: number, width = 2): string => String(value).padStart(width, "0");

/**
 * construct_yaml_timestamp: a `datetime.date` or `datetime.datetime`, kept as Python's `str()` of it
 * (`2001-12-14`, `2001-12-14 21:59:43.100000-05:00`), which is what Jinja prints for it.
 */
export function timestamp(text: string): PyScalar {
  const m = TIMESTAMP.exec(text);
  if (m === null) throw new ConstructError("not a timestamp");
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  checkDate(year, month, day);
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (m[4] === undefined) return { type: "date", value: date };
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hour > 23 || minute > 59 || second > 59) throw new ConstructError("a time out of range");
  const fraction = m[7] ? Number(m[7].slice(0, 6).padEnd(6, "0")) : 0;
  const micro = fraction === 0 ? "" : `.${pad(fraction, 6)}`;
  return { type: "datetime", value: `${date} ${pad(hour)}:${pad(minute)}:${pad(second)}${micro}${offset(m[8], m[9], m[10], m[11])}` };
}

function checkDate(year: number, month: number, day: number): void {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (year < 1 || days === undefined || day < 1 || day > days) throw new ConstructError("a date out of range");
}

/** Python's `timezone(timedelta(hours=h, minutes=m))` printed by `str()`: `+HH:MM`, a zero offset as `+00:00`. */
function offset(tz: string | undefined, sign: string | undefined, hours: string | undefined, minutes: string | undefined): string {
  if (tz === undefined) return "";
  if (tz === "Z") return "+00:00";
  const total = Number(hours) * 60 + Number(minutes ?? "0");
  if (total >= 24 * 60) throw new ConstructError("a time zone offset out of range");
  const negative = sign === "-" && total !== 0;
  return `${negative ? "-" : "+"}${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}
