/**
 * Every failure the operator can see is a DeployError: a stable code, a one-line message and a hint.
 * `where` (file:line and key) is part of the message when the error comes from an input file.
 */
export interface SourceLocation {
  file: string;
  line?: number;
  key?: string;
}

export class DeployError extends Error {
  readonly code: string;
  readonly hint: string;
  readonly where: SourceLocation | undefined;
  readonly host: string | undefined;

  constructor(
    code: string,
    message: string,
    hint: string,
    opts: { where?: SourceLocation; host?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "DeployError";
    this.code = code;
    this.hint = hint;
    this.where = opts.where;
    this.host = opts.host;
  }

  /** One line: `file:line: key: message (hint: ...)` — what the operator reads first. */
  oneLine(): string {
    const prefix = [formatLocation(this.where), this.host ? `host ${this.host}` : ""]
      .filter((p) => p !== "")
      .join(": ");
    const body = prefix === "" ? this.message : `${prefix}: ${this.message}`;
    return this.hint === "" ? `${body} [${this.code}]` : `${body} [${this.code}] (hint: ${this.hint})`;
  }
}

export function formatLocation(where: SourceLocation | undefined): string {
  if (where === undefined) return "";
  const fileLine = where.line === undefined ? where.file : `${where.file}:${where.line}`;
  return where.key === undefined ? fileLine : `${fileLine}: ${where.key}`;
}

/** Validation collects every problem before failing, so the operator fixes them all in one pass. */
export class Diagnostics {
  private readonly items: DeployError[] = [];

  add(error: DeployError): void {
    this.items.push(error);
  }

  get errors(): readonly DeployError[] {
    return this.items;
  }

  get ok(): boolean {
    return this.items.length === 0;
  }

  /** Throws a ValidationFailed carrying every collected error, if there is any. */
  throwIfAny(): void {
    if (this.items.length === 1) throw this.items[0]!;
    if (this.items.length > 1) throw new ValidationFailed(this.items);
  }
}

export class ValidationFailed extends DeployError {
  readonly errors: readonly DeployError[];

  constructor(errors: readonly DeployError[]) {
    super("E_VALIDATION", `${errors.length} configuration problems`, "fix every line above, then run again");
    this.errors = errors;
  }

  override oneLine(): string {
    return this.errors.map((e) => e.oneLine()).join("\n");
  }
}

/** Process exit codes, documented in docs/cli.md. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  /** `--check`: something would change. */
  changesPending: 2,
  usage: 64,
  validation: 65,
  unreachable: 69,
  internal: 70,
} as const;

export function exitCodeFor(error: unknown): number {
  if (!(error instanceof DeployError)) return ExitCode.internal;
  if (error.code === "E_USAGE") return ExitCode.usage;
  if (error.code.startsWith("E_HOST")) return ExitCode.unreachable;
  if (error instanceof ValidationFailed || error.where !== undefined) return ExitCode.validation;
  return ExitCode.failure;
}
