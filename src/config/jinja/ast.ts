/** The expression tree the parser builds and the evaluator walks. */

export type CompareOp = "==" | "!=" | "<" | ">" | "<=" | ">=" | "in" | "not in";
export type BinaryOp = "+" | "-" | "*" | "/" | "//" | "%" | "**" | "~" | "and" | "or";

export type Expr =
  | { readonly type: "literal"; readonly value: unknown }
  | { readonly type: "name"; readonly name: string }
  | { readonly type: "list"; readonly items: readonly Expr[] }
  | { readonly type: "dict"; readonly entries: readonly (readonly [Expr, Expr])[] }
  | { readonly type: "attr"; readonly object: Expr; readonly name: string }
  | { readonly type: "index"; readonly object: Expr; readonly index: Expr }
  | { readonly type: "unary"; readonly op: "not" | "-" | "+"; readonly operand: Expr }
  | { readonly type: "binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly type: "compare"; readonly first: Expr; readonly rest: readonly (readonly [CompareOp, Expr])[] }
  | { readonly type: "filter"; readonly input: Expr; readonly name: string; readonly args: readonly Expr[] }
  | { readonly type: "test"; readonly input: Expr; readonly name: string; readonly negated: boolean }
  | { readonly type: "cond"; readonly test: Expr; readonly then: Expr; readonly otherwise: Expr | undefined };
