/**
 * Unified diffs that are safe to show. Redacting the current passwords.yml values is not enough:
 * a diff also shows the host's OLD file, and after a password rotation its old value is in no
 * list. So a line is masked when it has the shape of a line of the new file that holds a secret
 * (`connection = mysql://nova:<old>@db/nova` looks like `connection = mysql://nova:<new>@db/nova`),
 * and every line inside a PEM private-key block is masked whole. The diff still shows that such
 * a line changed, never what it held.
 */
import { REDACTED, redactSecrets } from "../redact.js";
import { unifiedDiff } from "./udiff.js";

interface Shape {
  readonly pattern: RegExp;
  readonly masked: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function lines(text: string | undefined): string[] {
  return text === undefined ? [] : text.split("\n");
}

/** Multi-line secrets (keys) reach a diff one line at a time, so each of their lines is a secret too. */
function lineSecrets(secrets: readonly string[]): string[] {
  const out = new Set(secrets.filter((s) => s !== ""));
  for (const s of secrets) for (const line of s.split("\n")) if (line.trim().length >= 8) out.add(line.trim());
  return [...out];
}

/** Lines strictly inside `-----BEGIN ... PRIVATE KEY-----` / `-----END ...` blocks. */
function privateKeyLines(text: readonly string[]): Set<string> {
  const inside = new Set<string>();
  let open = false;
  for (const line of text) {
    if (/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(line)) open = true;
    else if (/^-----END [A-Z ]*PRIVATE KEY-----/.test(line)) open = false;
    else if (open) inside.add(line);
  }
  return inside;
}

/** The shapes of the new file's secret-bearing lines: literal text around a wildcard per secret. */
function secretShapes(newLines: readonly string[], secrets: readonly string[], keyLines: ReadonlySet<string>): Shape[] {
  const shapes = new Map<string, Shape>();
  for (const line of newLines) {
    if (keyLines.has(line)) continue;
    const masked = redactSecrets(line, secrets);
    if (masked === line || shapes.has(masked)) continue;
    const pattern = new RegExp(`^${masked.split(REDACTED).map(escapeRegExp).join(".+?")}$`);
    shapes.set(masked, { pattern, masked });
  }
  return [...shapes.values()];
}

/** A function masking one line of either file. */
export function secretLineMasker(oldText: string | undefined, newText: string, secrets: readonly string[]): (line: string) => string {
  const all = lineSecrets(secrets);
  const newLines = lines(newText);
  const keyLines = new Set([...privateKeyLines(lines(oldText)), ...privateKeyLines(newLines)]);
  const shapes = secretShapes(newLines, all, keyLines);
  return (line) => {
    if (keyLines.has(line)) return REDACTED;
    const redacted = redactSecrets(line, all);
    if (redacted !== line) return redacted;
    return shapes.find((s) => s.pattern.test(line))?.masked ?? line;
  };
}

/** unifiedDiff with every line of both files passed through secretLineMasker. */
export function redactedUnifiedDiff(
  oldText: string | undefined,
  newText: string,
  names: { oldName: string; newName: string },
  secrets: readonly string[],
): string {
  if (oldText === newText) return "";
  // Masked before unifiedDiff makes blanks visible, so the masker sees the files' own lines.
  return unifiedDiff(oldText, newText, names, { mask: secretLineMasker(oldText, newText, secrets) });
}
