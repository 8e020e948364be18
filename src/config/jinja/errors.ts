/**
 * Errors raised inside the expression engine. They carry no file location: the caller that knows
 * where the text came from (a variable in globals.yml, a template line) turns them into DeployErrors.
 * Messages never quote values, only names and types, because a value may be a password.
 */
import { Undefined } from "./values.js";

export class ExpressionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "ExpressionError";
  }
}

/** An undefined value was used (printed, compared, filtered): carries the chain of names that led to it. */
export class UndefinedError extends Error {
  constructor(readonly value: Undefined) {
    super(`undefined variable: ${value.chain.join(" -> ")}`);
    this.name = "UndefinedError";
  }
}

export function syntaxError(message: string, hint = "fix the expression inside {{ }}"): ExpressionError {
  return new ExpressionError("E_JINJA_SYNTAX", message, hint);
}

export function unsupported(what: string): ExpressionError {
  return new ExpressionError(
    "E_JINJA_UNSUPPORTED",
    `unsupported Jinja construct: ${what}`,
    "kolla-deploy evaluates a Jinja expression subset (see docs/variables.md); rewrite the value with supported syntax",
  );
}

export function typeError(message: string): ExpressionError {
  return new ExpressionError("E_JINJA_TYPE", message, "check the types of the values the expression combines");
}
