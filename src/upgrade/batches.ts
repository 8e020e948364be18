/**
 * Rolling batches, as Ansible's `serial` and `max_fail_percentage` shape a play: pure arithmetic.
 */
import { DeployError } from "../errors.js";

/** `--serial`: a host count, or a percentage of the hosts being worked on. */
export type Serial = { readonly count: number } | { readonly percent: number };

export function parseSerial(text: string): Serial {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  if (percent !== null) {
    const value = Number(percent[1]);
    if (value > 0 && value <= 100) return { percent: value };
  } else if (/^\d+$/.test(text.trim()) && Number(text) >= 1) {
    return { count: Number(text) };
  }
  throw new DeployError("E_USAGE", `--serial: expected a host count or a percentage, got "${text}"`, "e.g. --serial 1, --serial 2 or --serial 30%");
}

export function parsePercentage(text: string): number {
  const value = Number(text.trim().replace(/%$/, ""));
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new DeployError("E_USAGE", `--max-fail-percentage: expected 0-100, got "${text}"`, "e.g. --max-fail-percentage 34");
  }
  return value;
}

/** Hosts per batch; like Ansible, a percentage rounds down but never below one host. */
export function batchSize(serial: Serial, hostCount: number): number {
  const size = "count" in serial ? serial.count : Math.floor((hostCount * serial.percent) / 100);
  return Math.max(1, Math.min(size, Math.max(hostCount, 1)));
}

/** The hosts, in order, cut into consecutive batches. */
export function makeBatches<T>(hosts: readonly T[], serial: Serial): T[][] {
  const size = batchSize(serial, hosts.length);
  const batches: T[][] = [];
  for (let i = 0; i < hosts.length; i += size) batches.push(hosts.slice(i, i + size));
  return batches;
}

/**
 * Whether the run must stop after a batch. Without a percentage any failure stops it. With one,
 * the failed hosts are counted against all hosts of the rollout (not per batch as in Ansible),
 * so that the option means something with the default of one host per batch.
 */
export function mustStop(failed: number, total: number, maxFailPercentage: number | undefined): boolean {
  if (failed === 0) return false;
  if (maxFailPercentage === undefined || total === 0) return true;
  return (failed * 100) / total > maxFailPercentage;
}
