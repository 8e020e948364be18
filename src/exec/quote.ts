/**
 * POSIX shell quoting. Commands are argv arrays everywhere else; this is the one place that turns
 * them into the single string an SSH exec request carries (the remote login shell parses it).
 */

/** Characters that never need quoting in a POSIX shell word. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word so that a POSIX shell reads it back byte for byte. */
export function quoteWord(word: string): string {
  if (word.includes("\0")) throw new Error("a shell word cannot contain a NUL byte");
  if (word !== "" && SAFE_WORD.test(word)) return word;
  // Inside single quotes nothing is special except the closing quote itself.
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Quotes a whole argv into one shell command line. */
export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error("cannot quote an empty command");
  return argv.map(quoteWord).join(" ");
}

/**
 * Wraps argv so it runs as `user` through passwordless sudo. `-n` makes sudo fail instead of
 * prompting (nobody is there to answer), `-H` gives the target user's HOME, and `--` ends sudo's
 * options so argv[0] can never be read as one.
 */
export function becomeArgv(argv: readonly string[], user: string): string[] {
  return ["sudo", "-n", "-H", "-u", user, "--", ...argv];
}
