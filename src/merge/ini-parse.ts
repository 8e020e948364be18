/**
 * Parses INI text with oslo.config's rules (oslo_config/iniparser.py BaseParser) and kolla's
 * accumulation rules (merge_configs.py OverrideConfigParser). Pure: text in, document out.
 *
 * Unlike oslo, which stops at the first problem, we keep going so the operator sees every bad line
 * of every file at once. Line numbers are per file (kolla's are cumulative across files).
 */
import { DeployError, Diagnostics } from "../errors.js";
import { ORPHAN_SECTION, type IniDocument, type IniSection, type IniSource, type IniValue } from "./ini-model.js";
import { pyLstrip, pyRstrip, pyStrip, splitLines } from "./pystr.js";

/** Parses one INI source; throws a DeployError (or ValidationFailed listing every bad line). */
export function parseIni(source: IniSource): IniDocument {
  const diagnostics = new Diagnostics();
  const document = collectIni(source, diagnostics);
  diagnostics.throwIfAny();
  return document;
}

/** Parses one INI source, adding every parse problem to `diagnostics` instead of throwing. */
export function collectIni(source: IniSource, diagnostics: Diagnostics): IniDocument {
  const parser = new IniParser(source, diagnostics);
  splitLines(source.text).forEach((line, index) => parser.feed(line, index + 1));
  return parser.finish();
}

/** What a non-blank, non-continuation line is. */
type LineKind = "section" | "comment" | "assignment";

function classify(line: string): LineKind {
  if (line.startsWith("[")) return "section";
  if (line.startsWith("#") || line.startsWith(";")) return "comment";
  return "assignment";
}

class IniParser {
  readonly #source: IniSource;
  readonly #diagnostics: Diagnostics;
  readonly #sections = new Map<string, IniSection>();
  #current: IniSection | undefined;
  /** The option being read; its value may still grow by continuation lines. */
  #key: string | undefined;
  #lines: string[] = [];
  /** After a bad line, its continuation lines are part of the same mistake: report it once. */
  #skippingBadEntry = false;

  constructor(source: IniSource, diagnostics: Diagnostics) {
    this.#source = source;
    this.#diagnostics = diagnostics;
  }

  feed(rawLine: string, lineNumber: number): void {
    const line = pyRstrip(rawLine);
    if (line === "") {
      // A blank line ends a multi-line value.
      this.#flush();
      this.#skippingBadEntry = false;
      return;
    }
    if (line.startsWith(" ") || line.startsWith("\t")) {
      this.#continueValue(line, lineNumber);
      return;
    }
    this.#flush();
    this.#skippingBadEntry = false;
    const kind = classify(line);
    if (kind === "section") this.#openSection(line, lineNumber);
    else if (kind === "assignment") this.#startAssignment(line, lineNumber);
    // Comments (# or ; in the first column) are dropped, as kolla drops them.
  }

  finish(): IniDocument {
    this.#flush();
    return { path: this.#source.path, sections: this.#sections };
  }

  #continueValue(line: string, lineNumber: number): void {
    if (this.#key !== undefined) {
      this.#lines.push(pyLstrip(line));
    } else if (!this.#skippingBadEntry) {
      this.#skippingBadEntry = true;
      this.#fail(lineNumber, "E_INI_CONTINUATION", "Cannot parse line: unexpected continuation line (it starts with a space or tab but no option comes before it)",
        "remove the leading whitespace, or put the line directly under a 'key = value' line with no blank or comment line between");
    }
  }

  #openSection(line: string, lineNumber: number): void {
    if (!line.endsWith("]")) {
      this.#fail(lineNumber, "E_INI_SECTION", `Cannot parse section header "${line}": it must end with "]"`,
        "write a section header as [name] on its own line");
      return;
    }
    if (line.length <= 2) {
      this.#fail(lineNumber, "E_INI_SECTION", "Cannot parse section header \"[]\": the section name is empty",
        "give the section a name, for example [DEFAULT]");
      return;
    }
    this.#current = this.#section(line.slice(1, -1));
  }

  #startAssignment(line: string, lineNumber: number): void {
    const split = splitKeyValue(line);
    if (split === undefined) {
      this.#skippingBadEntry = true;
      this.#fail(lineNumber, "E_INI_ASSIGNMENT", "Cannot parse line: no \"=\" or \":\" found",
        "write options as 'key = value'; comments start with # or ; in the first column");
      return;
    }
    if (split.key === "") {
      this.#skippingBadEntry = true;
      this.#fail(lineNumber, "E_INI_KEY", "Cannot parse line: the option name before \"=\" or \":\" is empty",
        "write options as 'key = value' with a non-empty key");
      return;
    }
    this.#key = split.key;
    this.#lines = [split.firstLine];
  }

  /** Stores the option being read, if any (oslo's `assignment`). */
  #flush(): void {
    if (this.#key === undefined) return;
    // A single empty line is the empty value `key =`; with continuation lines it stays as is.
    const value: IniValue = this.#lines.length === 1 && this.#lines[0] === "" ? [] : this.#lines;
    this.#current ??= this.#section(ORPHAN_SECTION);
    const values = this.#current.get(this.#key);
    if (values === undefined) this.#current.set(this.#key, [value]);
    else values.push(value);
    this.#key = undefined;
    this.#lines = [];
  }

  /** A repeated header in the same file re-opens the section, so its keys accumulate. */
  #section(name: string): IniSection {
    let section = this.#sections.get(name);
    if (section === undefined) {
      section = new Map();
      this.#sections.set(name, section);
    }
    return section;
  }

  /** Line text is deliberately left out of the message: override lines may hold secrets. */
  #fail(line: number, code: string, message: string, hint: string): void {
    this.#diagnostics.add(new DeployError(code, message, hint, { where: { file: this.#source.path, line } }));
  }
}

/**
 * Splits `key = value` at the first "=" or ":", whichever comes first, and strips both sides.
 * A value that starts with a quote and ends with the same character loses both ends (a lone `"`
 * becomes empty, exactly as in oslo). Returns undefined when there is no separator.
 */
export function splitKeyValue(line: string): { key: string; firstLine: string } | undefined {
  const colon = line.indexOf(":");
  const equal = line.indexOf("=");
  if (colon < 0 && equal < 0) return undefined;
  const at = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon;
  let value = pyStrip(line.slice(at + 1));
  if (value !== "" && (value.startsWith("\"") || value.startsWith("'")) && value.endsWith(value[0]!)) {
    value = value.slice(1, -1);
  }
  return { key: pyStrip(line.slice(0, at)), firstLine: value };
}
