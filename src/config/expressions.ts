/**
 * Public face of the expression engine: evaluate an expression or render a `{{ }}` string and
 * turn engine errors into DeployErrors with a location. Other modules (templates, role
 * conditions) call these instead of reaching into ./jinja.
 */
import { DeployError, type SourceLocation } from "../errors.js";
import { ExpressionError, UndefinedError } from "./jinja/errors.js";
import { defined, evaluate, type Lookup } from "./jinja/evaluator.js";
import { parseExpression } from "./jinja/parser.js";
import { parseTemplate, renderTemplate } from "./jinja/template.js";

export type { Lookup } from "./jinja/evaluator.js";

/** Evaluates one Jinja expression (without the braces), e.g. `enable_haproxy | bool`. */
export function evaluateExpression(expr: string, lookup: Lookup, where?: SourceLocation): unknown {
  try {
    return defined(evaluate(parseExpression(expr), lookup));
  } catch (error) {
    throw toDeployError(error, where);
  }
}

/** Renders a string with `{{ }}`; exactly one `{{ expr }}` keeps the expression's native type. */
export function renderJinjaString(text: string, lookup: Lookup, where?: SourceLocation): unknown {
  try {
    return renderTemplate(parseTemplate(text), lookup);
  } catch (error) {
    throw toDeployError(error, where);
  }
}

/** Converts an engine error into the operator-facing error; anything else passes through unchanged. */
export function toDeployError(error: unknown, where: SourceLocation | undefined, chainPrefix: readonly string[] = []): unknown {
  if (error instanceof UndefinedError) return undefinedVariable([...chainPrefix, ...error.value.chain], where);
  if (error instanceof ExpressionError) {
    return new DeployError(error.code, error.message, error.hint, { where, cause: error });
  }
  return error;
}

export function undefinedVariable(chain: readonly string[], where: SourceLocation | undefined): DeployError {
  const missing = chain[chain.length - 1] ?? "?";
  return new DeployError(
    "E_VAR_UNDEFINED",
    `undefined variable: ${chain.join(" -> ")}`,
    `define '${missing.split(/[.[]/)[0]}' (e.g. in globals.yml or with -e), or guard the reference with | default(...)`,
    { where },
  );
}
