/**
 * Python's ast.literal_eval, which Ansible's INI plugin applies to every variable value: text that is
 * a Python literal becomes that value (`80` → 80, `True` → true, `[1, 2]` → a list), anything else
 * stays the original string (`010`, `yes`, `hello world`). Pure.
 * Not modelled: complex numbers, f-strings and sets of unhashables; those stay strings.
 */
import { tokenizePython, type PyToken } from "./pytokens.js";

type Kind = "number" | "signed" | "other";
interface Node {
  value: unknown;
  kind: Kind;
}

class NotLiteral extends Error {}

/** The typed value Ansible's INI plugin gives `text`. */
export function parseIniValue(text: string): unknown {
  const literal = evalPythonLiteral(text);
  return literal.ok ? literal.value : text;
}

export function evalPythonLiteral(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    const tokens = tokenizePython(text.replace(/^[ \t]+/, ""));
    if (tokens === undefined) return { ok: false };
    const parser = new LiteralParser(tokens);
    return { ok: true, value: parser.parseTop() };
  } catch (error) {
    if (error instanceof NotLiteral) return { ok: false };
    throw error;
  }
}

class LiteralParser {
  private pos = 0;
  constructor(private readonly tokens: readonly PyToken[]) {}

  parseTop(): unknown {
    const first = this.parseExpr();
    let value = first.value;
    if (this.isOp(",")) value = this.parseSequenceTail(first.value, "END");
    if (this.peek().type !== "END") throw new NotLiteral();
    return value;
  }

  private peek(): PyToken {
    return this.tokens[this.pos]!;
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.type === "OP" && t.text === op;
  }

  private expectOp(op: string): void {
    if (!this.isOp(op)) throw new NotLiteral();
    this.pos++;
  }

  /** literal_eval allows a binary +/- only to build complex numbers, which we do not model. */
  private parseExpr(): Node {
    const node = this.parseUnary();
    if (this.isOp("+") || this.isOp("-")) throw new NotLiteral();
    return node;
  }

  private parseUnary(): Node {
    if (this.isOp("+") || this.isOp("-")) {
      const negative = this.peek().text === "-";
      this.pos++;
      const operand = this.parseAtom();
      if (operand.kind !== "number") throw new NotLiteral();
      return { value: negative ? -(operand.value as number) : operand.value, kind: "signed" };
    }
    return this.parseAtom();
  }

  private parseAtom(): Node {
    const t = this.peek();
    this.pos++;
    if (t.type === "NUM") return { value: t.value, kind: "number" };
    if (t.type === "STR") return { value: this.joinStrings(t), kind: "other" };
    if (t.type === "NAME") return { value: nameConstant(t.text), kind: "other" };
    if (t.type === "OP" && t.text === "[") return { value: this.parseList(), kind: "other" };
    if (t.type === "OP" && t.text === "(") return this.parseParen();
    if (t.type === "OP" && t.text === "{") return { value: this.parseBrace(), kind: "other" };
    throw new NotLiteral();
  }

  /** Adjacent string literals concatenate, as in Python; bytes and text do not mix. */
  private joinStrings(first: PyToken): string {
    let text = first.value as string;
    while (this.peek().type === "STR") {
      const next = this.peek();
      if (next.bytes !== first.bytes) throw new NotLiteral();
      text += next.value as string;
      this.pos++;
    }
    return text;
  }

  private parseList(): unknown[] {
    if (this.isOp("]")) {
      this.pos++;
      return [];
    }
    return this.parseSequenceTail(this.parseExpr().value, "]");
  }

  /** Items after the first, comma separated, optional trailing comma, up to `close`. */
  private parseSequenceTail(first: unknown, close: string): unknown[] {
    const items = [first];
    while (this.isOp(",")) {
      this.pos++;
      if (this.closes(close)) break;
      items.push(this.parseExpr().value);
    }
    if (close !== "END") this.expectOp(close);
    return items;
  }

  private closes(close: string): boolean {
    return close === "END" ? this.peek().type === "END" : this.isOp(close);
  }

  private parseParen(): Node {
    if (this.isOp(")")) {
      this.pos++;
      return { value: [], kind: "other" };
    }
    const inner = this.parseExpr();
    if (this.isOp(")")) {
      this.pos++;
      return inner;
    }
    return { value: this.parseSequenceTail(inner.value, ")"), kind: "other" };
  }

  /** `{}` and `{k: v}` are dicts; `{a, b}` is a set, which JSON can only show as a list. */
  private parseBrace(): unknown {
    const dict: Record<string, unknown> = {};
    if (this.isOp("}")) {
      this.pos++;
      return dict;
    }
    const firstKey = this.parseExpr().value;
    if (!this.isOp(":")) return this.parseSequenceTail(firstKey, "}");
    let key = firstKey;
    for (;;) {
      this.expectOp(":");
      Object.defineProperty(dict, jsonKey(key), { value: this.parseExpr().value, enumerable: true, writable: true, configurable: true });
      if (!this.isOp(",")) break;
      this.pos++;
      if (this.isOp("}")) break;
      key = this.parseExpr().value;
    }
    this.expectOp("}");
    return dict;
  }
}

function nameConstant(name: string): unknown {
  if (name === "True") return true;
  if (name === "False") return false;
  if (name === "None") return null;
  throw new NotLiteral();
}

/** JSON object keys are strings; Python's json turns True/None/numbers into their JSON spelling. */
function jsonKey(key: unknown): string {
  if (typeof key === "string") return key;
  if (typeof key === "number" || typeof key === "boolean") return String(key);
  if (key === null) return "null";
  throw new NotLiteral();
}
