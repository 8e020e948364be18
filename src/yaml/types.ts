/** The values PyYAML gives scalars, shared by the resolver, the constructors and the loaders. */

/** A Python scalar as PyYAML builds it. A date or datetime is kept as Python's `str()` of it. */
export type PyScalar =
  | { readonly type: "NoneType"; readonly value: null }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "int"; readonly value: bigint }
  | { readonly type: "float"; readonly value: number }
  | { readonly type: "str"; readonly value: string }
  | { readonly type: "date" | "datetime"; readonly value: string };

/** A scalar PyYAML cannot construct (`!!int abc`, `2002-02-30`); the message never quotes the scalar. */
export class ConstructError extends Error {}
