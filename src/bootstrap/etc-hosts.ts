/**
 * /etc/hosts as kolla's etc_hosts role edits it, as a pure text transformation:
 *   1. the last line matching `^127.0.0.1` becomes `127.0.0.1 localhost` (appended if none);
 *   2. every `127.0.1.1 ... <hostname>` line goes (Debian/Ubuntu add one; RabbitMQ then resolves the
 *      node's own name to 127.0.1.1 instead of its API address);
 *   3. a marked block lists `<api address> <nodename> <short hostname>` for every baremetal host.
 */
import type { HostFacts } from "../plan/host-context.js";

export const HOSTS_BEGIN = "# BEGIN ANSIBLE GENERATED HOSTS";
export const HOSTS_END = "# END ANSIBLE GENERATED HOSTS";

export interface HostsEntry {
  readonly address: string;
  /** the node name (uname -n) and the short host name; duplicates are dropped */
  readonly names: readonly string[];
}

/** The names kolla writes for a host: facts when it answered, else its inventory name. */
export function hostNames(inventoryName: string, facts: HostFacts | undefined): string[] {
  const nodename = facts?.hostname || inventoryName;
  const short = facts?.hostname ? facts.hostname.split(".")[0]! : inventoryName.split(".")[0]!;
  return [...new Set([nodename, short])];
}

export function hostsBlock(entries: readonly HostsEntry[]): string[] {
  return entries.map((e) => `${e.address} ${[...new Set(e.names)].join(" ")}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function lines(text: string): string[] {
  if (text === "") return [];
  const out = text.split("\n");
  if (out[out.length - 1] === "") out.pop();
  return out;
}

function ensureLocalhost(input: string[]): string[] {
  const out = [...input];
  // kolla's regexp is `^127.0.0.1.*` (dots unescaped); the last match is replaced, as lineinfile does
  const matches = out.flatMap((l, i) => (/^127.0.0.1/.test(l) ? [i] : []));
  if (matches.length === 0) out.push("127.0.0.1 localhost");
  else out[matches[matches.length - 1]!] = "127.0.0.1 localhost";
  return out;
}

function dropLoopbackHostname(input: string[], shortHostname: string): string[] {
  if (shortHostname === "") return input;
  const pattern = new RegExp(`^127.0.1.1\\b.*\\s${escapeRegExp(shortHostname)}\\b`);
  return input.filter((l) => !pattern.test(l));
}

/** blockinfile: replace the lines between the markers, or append the block at the end. */
function withBlock(input: string[], block: readonly string[]): string[] {
  const begin = input.indexOf(HOSTS_BEGIN);
  const end = begin < 0 ? -1 : input.indexOf(HOSTS_END, begin + 1);
  const marked = [HOSTS_BEGIN, ...block, HOSTS_END];
  if (begin < 0 || end < 0) return [...input, ...marked];
  return [...input.slice(0, begin), ...marked, ...input.slice(end + 1)];
}

/** The new /etc/hosts text for a host whose short host name is `shortHostname`. */
export function editEtcHosts(current: string, shortHostname: string, block: readonly string[]): string {
  const edited = withBlock(dropLoopbackHostname(ensureLocalhost(lines(current)), shortHostname), block);
  return edited.join("\n") + "\n";
}
