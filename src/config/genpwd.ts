/**
 * `genpwd`: fill the empty values of passwords.yml. Unlike kolla-genpwd it edits the file in place
 * instead of re-dumping it (comments, order and operator values survive), writes atomically with
 * mode 0600, and leaves the file untouched when there is nothing to fill, so a second run is a no-op.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { basename, dirname, join } from "node:path";
import { isMap, parseYaml, type ParsedYaml, type YAMLMap } from "../yaml/index.js";
import { DeployError } from "../errors.js";
import { fillEmptySecrets, type SshKeyPairSource } from "./genpwd-document.js";
import { generateSshKeyPair, rsaBits } from "./genpwd-secrets.js";

export interface GenpwdResult {
  /** The file actually written (symlinks resolved). */
  file: string;
  /** Names of the keys filled, in file order; never their values. */
  filled: string[];
}

export interface GenpwdOptions {
  /** Overrides how SSH key pairs are made (default: RSA with rsaBits()). */
  makeKeyPair?: SshKeyPairSource;
}

async function readPasswordsFile(file: string): Promise<{ path: string; text: string }> {
  try {
    const path = await fs.realpath(file);
    return { path, text: await fs.readFile(path, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new DeployError("E_GENPWD_MISSING", "passwords file not found", "copy etc/kolla/passwords.yml from kolla-deploy there, or pass -p FILE", { where: { file }, cause: error });
    }
    throw new DeployError("E_GENPWD_READ", `cannot read passwords file (${code ?? "error"})`, "check the path and its permissions", { where: { file }, cause: error });
  }
}

/**
 * Parses with Ansible's typing (what reads the file afterwards), without ever putting file content
 * into an error: a syntax error's line may hold a secret.
 */
function parsePasswords(text: string, file: string): { parsed: ParsedYaml; root: YAMLMap } {
  const parsed = parseYaml(text);
  const problem = parsed.problems[0];
  if (problem !== undefined) {
    const reason = problem.kind === "syntax" ? problem.code.toLowerCase().replace(/_/g, " ") : problem.message;
    throw new DeployError("E_GENPWD_YAML", `YAML syntax error (${reason})`, "fix the YAML at that line; values with ': ' or '#' need quotes", {
      where: problem.line === undefined ? { file } : { file, line: problem.line },
    });
  }
  const contents = parsed.doc.contents;
  if (!isMap(contents)) {
    const found = contents === null ? "empty" : "not a mapping";
    throw new DeployError("E_GENPWD_NOT_MAPPING", `top level is ${found}; expected \`key: value\` lines`, "start from kolla-deploy's etc/kolla/passwords.yml", { where: { file } });
  }
  return { parsed, root: contents };
}

/** Writes via a temp file in the same directory and rename(), so readers never see half a file. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const original = await fs.stat(path);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await fs.open(temp, "wx", 0o600);
  try {
    await handle.writeFile(text, "utf8");
    await handle.chmod(0o600);
    // Keep the owner when root edits an operator's file; not being allowed to is fine otherwise.
    await handle.chown(original.uid, original.gid).catch(() => undefined);
    await handle.sync();
    await handle.close();
    await fs.rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.unlink(temp).catch(() => undefined);
    throw new DeployError("E_GENPWD_WRITE", `cannot write passwords file (${(error as NodeJS.ErrnoException).code ?? "error"})`, "check the directory's permissions and free space", {
      where: { file: path },
      cause: error,
    });
  }
}

/** Fills every empty value of a passwords file; see the module comment for the guarantees. */
export async function generatePasswords(file: string, options: GenpwdOptions = {}): Promise<GenpwdResult> {
  const { path, text } = await readPasswordsFile(file);
  const { parsed, root } = parsePasswords(text, file);
  const bits = options.makeKeyPair === undefined ? rsaBits() : 0;
  const makeKeyPair = options.makeKeyPair ?? (() => generateSshKeyPair(bits));
  const result = await fillEmptySecrets(text, parsed, root, makeKeyPair);
  if (result.filled.length > 0) await writeAtomically(path, result.text);
  return { file: path, filled: result.filled };
}
