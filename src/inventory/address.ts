/**
 * Splitting `host:port` the way Ansible's parse_address does, ranges allowed. Pure.
 * A string that is not a valid address keeps its colon as part of the name (Ansible's fallback).
 */

const RANGE_NUM = String.raw`\[[0-9]+:[0-9]+(?::[0-9]+)?\]`;
const RANGE_ALNUM = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const IPV4_PART = String.raw`(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${RANGE_NUM})`;
const IPV4 = new RegExp(String.raw`^(?:${IPV4_PART}\.){3}${IPV4_PART}$`, "i");
const LABEL = String.raw`(?:[\p{L}\p{N}_]|${RANGE_ALNUM})(?:[\p{L}\p{N}_-]|${RANGE_ALNUM})*(?<![_-])`;
const HOSTNAME = new RegExp(String.raw`^${LABEL}(?:\.${LABEL})*$`, "iu");
/** Loose on purpose: IPv6 with ranges is rare in inventories; we only need to accept it, not validate it. */
const IPV6 = /^(?=.*:.*:)[0-9a-f:.[\]]+$/i;
const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;

export interface HostAddress {
  host: string;
  port: number | undefined;
}

/** The address part of a host pattern and its port, or undefined when it is not an address at all. */
export function parseAddress(text: string): HostAddress | undefined {
  let host = text;
  let port: number | undefined;
  for (const form of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = form.exec(host);
    if (m !== null) {
      host = m[1]!;
      port = Number(m[2]);
    }
  }
  const valid = IPV4.test(host) || IPV6.test(host) || HOSTNAME.test(host);
  return valid ? { host, port } : undefined;
}

/** Ansible's _expand_hostpattern first step: an unparsable address is used verbatim, without a port. */
export function splitHostPort(text: string): HostAddress {
  return parseAddress(text) ?? { host: text, port: undefined };
}
