/**
 * Merges parsed INI documents and writes the result exactly as kolla's merge_configs does.
 * Pure functions; the caller reads files and decides which are missing.
 */
import { Diagnostics } from "../errors.js";
import { ORPHAN_SECTION, type IniDocument, type IniSection, type IniSections, type IniSource, type IniValue } from "./ini-model.js";
import { collectIni } from "./ini-parse.js";
import { pyLen } from "./pystr.js";

/** Output options, as merge_configs' task arguments. */
export interface IniWriteOptions {
  /** `key = value` when true (the default), `key=value` when false. */
  whitespace?: boolean;
}

/**
 * Parses every source, reporting all parse errors of all sources at once, then merges them in
 * order and returns the text kolla would write.
 */
export function mergeIni(sources: readonly IniSource[], opts: IniWriteOptions = {}): string {
  const diagnostics = new Diagnostics();
  const documents = sources.map((source) => collectIni(source, diagnostics));
  diagnostics.throwIfAny();
  return writeIni(mergeIniDocuments(documents), opts);
}

/**
 * Later documents win key by key: a key in a later document replaces every earlier value of that
 * key (keeping the key's first position); keys it does not mention stay. New sections and keys go
 * to the end. Nothing is ever removed.
 */
export function mergeIniDocuments(documents: readonly IniDocument[]): IniSections {
  const merged: IniSections = new Map();
  for (const document of documents) {
    for (const [name, section] of document.sections) {
      let target = merged.get(name);
      if (target === undefined) {
        target = new Map();
        merged.set(name, target);
      }
      for (const [key, values] of section) target.set(key, [...values]);
    }
  }
  return merged;
}

/**
 * Writes sections the way merge_configs does: a `[name]` header (none for keys that came before
 * any section), one `key = line` per value with continuation lines aligned under the first line,
 * `key =` for an empty value, no comments, and a blank line after every section.
 */
export function writeIni(sections: IniSections, opts: IniWriteOptions = {}): string {
  const ws = opts.whitespace === false ? "" : " ";
  const out: string[] = [];
  for (const [name, section] of sections) {
    if (name !== ORPHAN_SECTION) out.push(`[${name}]\n`);
    writeSection(section, ws, out);
    out.push("\n");
  }
  return out.join("");
}

function writeSection(section: IniSection, ws: string, out: string[]): void {
  for (const [key, values] of section) {
    for (const value of values) writeValue(key, value, ws, out);
  }
}

function writeValue(key: string, value: IniValue, ws: string, out: string[]): void {
  if (value.length === 0) {
    out.push(`${key}${ws}=\n`);
    return;
  }
  // kolla aligns continuation lines under the first line's text (Python len() counts code points).
  const indent = " ".repeat(pyLen(key) + 2 * ws.length + 1);
  value.forEach((line, index) => out.push(index === 0 ? `${key}${ws}=${ws}${line}\n` : `${indent}${line}\n`));
}
