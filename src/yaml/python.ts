/**
 * Python's spelling of the scalars PyYAML builds: `str()` (what a mapping key becomes in our string-keyed
 * objects, what Jinja prints, and what the typing corpus test compares with Ansible).
 */
import type { PyScalar } from "./types.js";

/** Python's `repr(float)`: the shortest text that reads back, in exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = Math.abs(value).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const exponent = Number(exponentText);
  const sign = value < 0 ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === "" ? "0" : fraction}`;
}

/** Python's `str()` of a scalar. */
export function pyStr(scalar: PyScalar): string {
  switch (scalar.type) {
    case "NoneType":
      return "None";
    case "bool":
      return scalar.value ? "True" : "False";
    case "int":
      return scalar.value.toString();
    case "float":
      return pyFloatRepr(scalar.value);
    default:
      return scalar.value;
  }
}

/**
 * A scalar's identity as a Python dict key: `1`, `1.0` and `True` are one key, `~` and `null` another
 * (PyYAML's nan is one shared object, so every `.nan` key is the same key too).
 */
export function pyKeyIdentity(scalar: PyScalar): string {
  switch (scalar.type) {
    case "bool":
      return scalar.value ? "n:1" : "n:0";
    case "int":
      return `n:${scalar.value}`;
    case "float":
      return Number.isInteger(scalar.value) ? `n:${BigInt(scalar.value)}` : `n:${scalar.value}`;
    case "NoneType":
      return "None";
    default:
      return `${scalar.type}:${scalar.value}`;
  }
}
