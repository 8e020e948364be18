/**
 * Host ranges as Ansible expands them: `node[01:10]`, `[a:c]`, `[0:10:2]`, several ranges per name.
 * Pure. Unlike Ansible, a range that expands to nothing (`node[3:1]`) is an error: it is always a typo.
 */

export type RangeResult = { ok: true; hosts: string[] } | { ok: false; problem: string };

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Python's int(): optional sign, digits with single underscores, surrounding whitespace. */
export function parsePythonInt(text: string): number | undefined {
  const m = /^\s*([-+]?)(\d+(?:_\d+)*)\s*$/.exec(text);
  if (m === null) return undefined;
  const value = Number(m[2]!.replace(/_/g, ""));
  return m[1] === "-" ? -value : value;
}

/** True when the name contains a range Ansible would try to expand. */
export function hasRange(name: string): boolean {
  return name.includes("[");
}

/** Expands every `[x:y(:z)]` in a host name, left to right, like Ansible's expand_hostname_range. */
export function expandHostRange(name: string): RangeResult {
  if (!hasRange(name)) return { ok: true, hosts: [name] };
  const open = name.indexOf("[");
  const close = name.indexOf("]", open);
  if (close < 0) {
    return { ok: false, problem: `unterminated range in '${name}'` };
  }
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const body = name.slice(open + 1, close);
  const seq = rangeSequence(body);
  if (!seq.ok) return { ok: false, problem: `${seq.problem} in '${name}'` };
  const hosts: string[] = [];
  for (const item of seq.hosts) {
    const expanded = expandHostRange(head + item + tail);
    if (!expanded.ok) return expanded;
    hosts.push(...expanded.hosts);
  }
  return { ok: true, hosts };
}

/** The items of one range body `begin:end(:step)`, zero-padded when begin has leading zeros. */
function rangeSequence(body: string): RangeResult {
  const bounds = body.split(":");
  if (bounds.length !== 2 && bounds.length !== 3) {
    return { ok: false, problem: `range [${body}] must be begin:end or begin:end:step` };
  }
  const begin = bounds[0] === "" ? "0" : bounds[0]!;
  const end = bounds[1]!;
  if (end === "") return { ok: false, problem: `range [${body}] has no end value` };
  const step = bounds.length === 3 ? parsePythonInt(bounds[2]!) : 1;
  if (step === undefined || step <= 0) return { ok: false, problem: `range [${body}] needs a positive integer step` };
  const padded = begin.length > 1 && begin.startsWith("0");
  if (padded && begin.length !== end.length) {
    return { ok: false, problem: `range [${body}] must give begin and end with the same number of digits` };
  }
  const fill = (n: number | string): string => (padded ? String(n).padStart(begin.length, "0") : String(n));
  const letters = letterSequence(begin, end, step, body);
  const items = letters ?? numberSequence(begin, end, step, body);
  if (!items.ok) return items;
  if (items.hosts.length === 0) return { ok: false, problem: `range [${body}] expands to no hosts (begin is after end)` };
  return { ok: true, hosts: items.hosts.map(fill) };
}

/** Ansible looks both bounds up in ascii_letters (a substring search); undefined when either is not found. */
function letterSequence(begin: string, end: string, step: number, body: string): RangeResult | undefined {
  const from = LETTERS.indexOf(begin);
  const to = LETTERS.indexOf(end);
  if (from < 0 || to < 0) return undefined;
  if (from > to) return { ok: false, problem: `range [${body}] must have begin <= end` };
  const hosts: string[] = [];
  for (let i = from; i <= to; i += step) hosts.push(LETTERS[i]!);
  return { ok: true, hosts };
}

function numberSequence(begin: string, end: string, step: number, body: string): RangeResult {
  const from = parsePythonInt(begin);
  const to = parsePythonInt(end);
  if (from === undefined || to === undefined) {
    return { ok: false, problem: `range [${body}] mixes letters and numbers or is not a number` };
  }
  const hosts: string[] = [];
  for (let i = from; i <= to; i += step) hosts.push(String(i));
  return { ok: true, hosts };
}
