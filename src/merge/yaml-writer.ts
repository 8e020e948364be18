/**
 * A text sink that tracks the column the way PyYAML's emitter does, plus PyYAML's three scalar
 * writers (plain, single-quoted, double-quoted) with their line folding at 80 columns.
 */
import { pyLen } from "./pystr.js";

const BEST_WIDTH = 80;
const BREAKS = "\n\x85\u2028\u2029";
const ESCAPES: Readonly<Record<string, string>> = {
  "\0": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r",
  "\x1b": "e", "\"": "\"", "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P",
};

export class YamlWriter {
  readonly #out: string[] = [];
  column = 0;
  /** The last thing written was whitespace (so an indicator needs no leading space). */
  whitespace = true;
  /** Only indentation has been written on this line so far. */
  indention = true;

  text(): string {
    return this.#out.join("");
  }

  raw(data: string): void {
    this.#out.push(data);
    this.column += pyLen(data);
  }

  lineBreak(): void {
    this.#out.push("\n");
    this.column = 0;
    this.whitespace = true;
    this.indention = true;
  }

  indent(indent: number): void {
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.lineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.raw(" ".repeat(indent - this.column));
    }
  }

  indicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    this.raw(this.whitespace || !needWhitespace ? indicator : ` ${indicator}`);
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
  }

  plain(text: string, indent: number, split: boolean): void {
    if (text === "") return;
    if (!this.whitespace) this.raw(" ");
    this.whitespace = false;
    this.indention = false;
    // Plain scalars never contain line breaks here (they are quoted), so only spaces can fold.
    for (const [word, spaces] of words(text)) {
      this.raw(word);
      if (spaces === "") continue;
      if (spaces.length === 1 && this.column > BEST_WIDTH && split) {
        this.indent(indent);
        this.whitespace = false;
        this.indention = false;
      } else {
        this.raw(spaces);
      }
    }
  }

  singleQuoted(text: string, indent: number, split: boolean): void {
    this.indicator("'", true);
    const chars = [...text];
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      const previous = end > 0 ? chars[end - 1] : undefined;
      if (previous === " " && ch !== " ") {
        const atEdge = start === 0 || end === chars.length;
        if (start + 1 === end && this.column > BEST_WIDTH && split && !atEdge) this.indent(indent);
        else this.raw(chars.slice(start, end).join(""));
        start = end;
      } else if (previous !== undefined && BREAKS.includes(previous) && (ch === undefined || !BREAKS.includes(ch))) {
        // A line break in single quotes is written as an empty line (folding turns it back into one break).
        if (chars[start] === "\n") this.lineBreak();
        for (const br of chars.slice(start, end)) br === "\n" ? this.lineBreak() : this.#rawBreak(br);
        this.indent(indent);
        start = end;
      } else if ((previous === undefined || (previous !== " " && !BREAKS.includes(previous))) && (ch === undefined || ch === " " || BREAKS.includes(ch) || ch === "'")) {
        if (start < end) this.raw(chars.slice(start, end).join(""));
        start = end;
      }
      if (ch === "'") {
        this.raw("''");
        start = end + 1;
      }
    }
    this.indicator("'", false);
  }

  doubleQuoted(text: string, indent: number, split: boolean): void {
    this.indicator("\"", true);
    const chars = [...text];
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (ch === undefined || needsEscape(ch)) {
        if (start < end) this.raw(chars.slice(start, end).join(""));
        start = end;
        if (ch !== undefined) {
          this.raw(escape(ch));
          start = end + 1;
        }
      }
      if (end > 0 && end < chars.length - 1 && (ch === " " || start >= end) && this.column + (end - start) > BEST_WIDTH && split) {
        this.raw(`${chars.slice(start, end).join("")}\\`);
        if (start < end) start = end;
        this.indent(indent);
        this.whitespace = false;
        this.indention = false;
        if (chars[start] === " ") this.raw("\\");
      }
    }
    this.indicator("\"", false);
  }

  #rawBreak(br: string): void {
    this.#out.push(br);
    this.column = 0;
    this.whitespace = true;
    this.indention = true;
  }
}

/** Splits text into (word, following spaces) pairs. */
function words(text: string): [string, string][] {
  return [...text.matchAll(/([^ ]*)( *)/g)].filter((m) => m[0] !== "").map((m) => [m[1]!, m[2]!]);
}

function needsEscape(ch: string): boolean {
  return "\"\\\x85\u2028\u2029\ufeff".includes(ch) || !(ch >= " " && ch <= "~");
}

function escape(ch: string): string {
  const named = ESCAPES[ch];
  if (named !== undefined) return `\\${named}`;
  const code = ch.codePointAt(0)!;
  const hex = code.toString(16).toUpperCase();
  if (code <= 0xff) return `\\x${hex.padStart(2, "0")}`;
  if (code <= 0xffff) return `\\u${hex.padStart(4, "0")}`;
  return `\\U${hex.padStart(8, "0")}`;
}
