/**
 * Recursive-descent parser for a Jinja expression, with Jinja's operator precedence
 * (lowest first): `if/else`, `or`, `and`, `not`, comparisons, `+ -`, `~`, `* / // %`, `**`,
 * unary `- +`, then postfix `.attr` / `[index]` and `| filter` / `is test`. Pure.
 */
import type { BinaryOp, CompareOp, Expr } from "./ast.js";
import { syntaxError, unsupported } from "./errors.js";
import { filterArity, hasFilter } from "./filters.js";
import { tokenize, type Token } from "./lexer.js";

const SUPPORTED_TESTS = new Set(["defined", "undefined", "none"]);
const COMPARE_OPS = new Set(["==", "!=", "<", ">", "<=", ">="]);
const KEYWORD_LITERALS: Record<string, unknown> = {
  true: true, True: true, false: false, False: false, none: null, None: null,
};

/** Parses one expression; throws ExpressionError on bad or unsupported syntax. */
export function parseExpression(source: string): Expr {
  const parser = new Parser(tokenize(source));
  const expr = parser.expression();
  parser.expectEnd();
  return expr;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  expression(): Expr {
    let expr = this.or();
    while (this.takeName("if")) {
      const test = this.or();
      const otherwise = this.takeName("else") ? this.expression() : undefined;
      expr = { type: "cond", test, then: expr, otherwise };
    }
    return expr;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== "end") throw this.unexpected(token);
  }

  private or(): Expr {
    let left = this.and();
    while (this.takeName("or")) left = { type: "binary", op: "or", left, right: this.and() };
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.takeName("and")) left = { type: "binary", op: "and", left, right: this.not() };
    return left;
  }

  private not(): Expr {
    if (this.takeName("not")) return { type: "unary", op: "not", operand: this.not() };
    return this.compare();
  }

  private compare(): Expr {
    const first = this.binaryLevel(0);
    const rest: [CompareOp, Expr][] = [];
    for (;;) {
      const op = this.takeCompareOp();
      if (op === undefined) break;
      rest.push([op, this.binaryLevel(0)]);
    }
    return rest.length === 0 ? first : { type: "compare", first, rest };
  }

  private takeCompareOp(): CompareOp | undefined {
    const token = this.peek();
    if (token.kind === "op" && COMPARE_OPS.has(token.value as string)) {
      this.index += 1;
      return token.value as CompareOp;
    }
    if (this.takeName("in")) return "in";
    if (this.isName(this.peek(), "not") && this.isName(this.peek(1), "in")) {
      this.index += 2;
      return "not in";
    }
    return undefined;
  }

  /** `+ -`, then `~`, then `* / // %`, then `**`: one loop per precedence level. */
  private binaryLevel(level: number): Expr {
    const levels: readonly (readonly BinaryOp[])[] = [["+", "-"], ["~"], ["*", "/", "//", "%"], ["**"]];
    const ops = levels[level];
    if (ops === undefined) return this.unary(true);
    let left = this.binaryLevel(level + 1);
    for (;;) {
      const token = this.peek();
      if (token.kind !== "op" || !ops.includes(token.value as BinaryOp)) return left;
      this.index += 1;
      left = { type: "binary", op: token.value as BinaryOp, left, right: this.binaryLevel(level + 1) };
    }
  }

  private unary(withFilters: boolean): Expr {
    let node: Expr;
    if (this.takeOp("-")) node = { type: "unary", op: "-", operand: this.unary(false) };
    else if (this.takeOp("+")) node = { type: "unary", op: "+", operand: this.unary(false) };
    else node = this.primary();
    node = this.postfix(node);
    return withFilters ? this.filtersAndTests(node) : node;
  }

  private primary(): Expr {
    const token = this.next();
    if (token.kind === "string") return this.adjacentStrings(token.value as string);
    if (token.kind === "number") return { type: "literal", value: token.value };
    if (token.kind === "name") {
      const name = token.value as string;
      return name in KEYWORD_LITERALS ? { type: "literal", value: KEYWORD_LITERALS[name] } : { type: "name", name };
    }
    if (this.isOp(token, "(")) return this.parenthesised();
    if (this.isOp(token, "[")) return { type: "list", items: this.commaList("]") };
    if (this.isOp(token, "{")) return this.dictLiteral();
    throw this.unexpected(token);
  }

  private adjacentStrings(first: string): Expr {
    let value = first;
    while (this.peek().kind === "string") value += this.next().value as string;
    return { type: "literal", value };
  }

  private parenthesised(): Expr {
    const inner = this.expression();
    if (this.isOp(this.peek(), ",")) throw unsupported("tuples; use a list [a, b]");
    this.expectOp(")");
    return inner;
  }

  private dictLiteral(): Expr {
    const entries: [Expr, Expr][] = [];
    while (!this.takeOp("}")) {
      if (entries.length > 0) this.expectOp(",");
      if (this.takeOp("}")) break;
      const key = this.expression();
      this.expectOp(":");
      entries.push([key, this.expression()]);
    }
    return { type: "dict", entries };
  }

  /** Comma-separated expressions up to `close`; a trailing comma is allowed, as in Python. */
  private commaList(close: string): Expr[] {
    const items: Expr[] = [];
    while (!this.takeOp(close)) {
      if (items.length > 0) this.expectOp(",");
      if (this.takeOp(close)) break;
      if (this.isName(this.peek(), undefined) && this.isOp(this.peek(1), "=")) {
        throw unsupported("keyword arguments; pass arguments by position");
      }
      items.push(this.expression());
    }
    return items;
  }

  private postfix(node: Expr): Expr {
    for (;;) {
      if (this.takeOp(".")) {
        const token = this.next();
        if (token.kind === "name") node = { type: "attr", object: node, name: token.value as string };
        else if (token.kind === "number" && Number.isInteger(token.value)) {
          node = { type: "index", object: node, index: { type: "literal", value: token.value } };
        } else throw this.unexpected(token);
      } else if (this.takeOp("[")) {
        const index = this.expression();
        if (this.isOp(this.peek(), ":")) throw unsupported("slices [a:b]");
        this.expectOp("]");
        node = { type: "index", object: node, index };
      } else if (this.isOp(this.peek(), "(")) {
        throw unsupported("function and method calls (use a filter, e.g. `x | lower`)");
      } else {
        return node;
      }
    }
  }

  private filtersAndTests(node: Expr): Expr {
    for (;;) {
      if (this.takeOp("|")) node = this.filter(node);
      else if (this.takeName("is")) node = this.test(node);
      else return node;
    }
  }

  private filter(input: Expr): Expr {
    let name = this.expectName();
    while (this.takeOp(".")) name += `.${this.expectName()}`;
    if (!hasFilter(name)) throw unsupported(`filter '${name}'`);
    const args = this.takeOp("(") ? this.commaList(")") : [];
    const [min, max] = filterArity(name);
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : `${min} to ${max}`;
      throw syntaxError(`filter '${name}' takes ${expected} argument(s), got ${args.length}`);
    }
    return { type: "filter", input, name, args };
  }

  private test(input: Expr): Expr {
    const negated = this.takeName("not");
    const name = this.expectName();
    if (!SUPPORTED_TESTS.has(name)) throw unsupported(`test 'is ${name}'`);
    return { type: "test", input, name, negated };
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.index += 1;
    return token;
  }

  private isOp(token: Token, op: string): boolean {
    return token.kind === "op" && token.value === op;
  }

  private isName(token: Token, name: string | undefined): boolean {
    return token.kind === "name" && (name === undefined || token.value === name);
  }

  private takeOp(op: string): boolean {
    if (!this.isOp(this.peek(), op)) return false;
    this.index += 1;
    return true;
  }

  private takeName(name: string): boolean {
    if (!this.isName(this.peek(), name)) return false;
    this.index += 1;
    return true;
  }

  private expectOp(op: string): void {
    if (!this.takeOp(op)) throw this.unexpected(this.peek(), `'${op}'`);
  }

  private expectName(): string {
    const token = this.next();
    if (token.kind !== "name") throw this.unexpected(token, "a name");
    return token.value as string;
  }

  private unexpected(token: Token, expected?: string): Error {
    const found = token.kind === "end" ? "end of expression" : `'${String(token.value)}'`;
    const wanted = expected === undefined ? "" : `, expected ${expected}`;
    return syntaxError(`unexpected ${found} at offset ${token.pos}${wanted}`);
  }
}
