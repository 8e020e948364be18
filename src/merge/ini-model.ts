/** The in-memory shape of an INI file as kolla's merge_configs sees it. */

/**
 * One value of an option: its lines (first line plus continuation lines). An empty list is the
 * empty value written as `key =`.
 */
export type IniValue = readonly string[];

/**
 * One section: option name → every value given for it, in order. A key repeated in one file is
 * multi-valued (oslo's MultiStrOpt) and is written as one `key = …` line per value.
 * A `Map` keeps first-appearance order when a key is replaced, and has no prototype to pollute.
 */
export type IniSection = Map<string, IniValue[]>;

/** Section name → section, in order of first appearance. */
export type IniSections = Map<string, IniSection>;

/** A parsed INI source. */
export interface IniDocument {
  path: string;
  sections: IniSections;
}

/** One input to the INI merge: where the text came from (for errors) and the text itself. */
export interface IniSource {
  path: string;
  text: string;
}

/**
 * Keys that appear before any section header live in this hidden section, which is written
 * without a header. We use kolla's own name so that a literal `[TEMPORARY_ORPHAN_VARIABLE_SECTION]`
 * header behaves exactly as it does in kolla (it merges into the orphan keys).
 */
export const ORPHAN_SECTION = "TEMPORARY_ORPHAN_VARIABLE_SECTION";
