/** Early syntax checking, so role validation can report every broken template in one pass. */
import type { DeployError } from "../errors.js";
import { precompileTemplate } from "./env.js";
import { templateError } from "./errors.js";

/** Returns the syntax error of a template (as a located DeployError), or undefined when it parses. */
export function checkTemplateSyntax(source: string, templateName: string): DeployError | undefined {
  try {
    precompileTemplate(source);
    return undefined;
  } catch (error) {
    return templateError(error, source, { file: templateName });
  }
}
