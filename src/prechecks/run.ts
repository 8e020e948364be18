/**
 * A prechecks run: compute every host's expectations (no host touched yet), probe every host at
 * once with ONE exec each, then evaluate locally. A refused sudo is itself a finding: the host is
 * probed again without it so its other checks still report. Nothing here changes a host.
 */
import { asDeployError, isFailure, onEveryHost } from "../apply/fanout.js";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Limiter } from "../limit.js";
import type { Prepared } from "../apply/prepare.js";
import { DeployError } from "../errors.js";
import type { TransportPool } from "../exec/pool.js";
import type { Transport } from "../exec/types.js";
import { checkGroups, checkPasswords, type PasswordEntry } from "./deployment.js";
import { clusterView, evaluateHost } from "./evaluate.js";
import { expectationsFor } from "./expect.js";
import { probeQuery } from "./probe.js";
import type { HostExpectations, HostProbe, HostReport, PrecheckReport } from "./types.js";

export interface PrecheckInputs {
  readonly p: Prepared;
  readonly pool: TransportPool;
  readonly forks: Limiter;
  readonly configdir: string;
  /** --passwords, else <configdir>/passwords.yml */
  readonly passwordsFile?: string;
  /** Called as each host's probe ends (live progress). */
  readonly onProbed?: (host: string, ms: number, error?: DeployError) => void;
}

/** One exec as root; when sudo is refused, one more without it (the refusal is the sudo finding). */
export async function probeHost(transport: Transport, exp: HostExpectations): Promise<HostProbe> {
  const query = probeQuery(exp.engine, exp.pingVips, exp.compute !== undefined);
  let sudoError: DeployError;
  try {
    const probe = query.parse(await transport.run(query.command(true)));
    if (probe !== undefined) return probe;
    sudoError = new DeployError("E_HOST_BECOME", "the probe did not start as root", "check that sudo is installed and works without a password", { host: transport.host });
  } catch (error) {
    if (!(error instanceof DeployError) || error.code !== "E_HOST_BECOME") throw error;
    sudoError = error;
  }
  const result = await transport.run(query.command(false));
  const probe = query.parse(result, sudoError);
  if (probe !== undefined) return probe;
  throw new DeployError("E_PRECHECK_PROBE", `the probe did not run (exit ${result.code}: ${result.stderr.trim().split("\n")[0] ?? ""})`, "check that the host has a POSIX sh", { host: transport.host });
}

async function probeAll(inputs: PrecheckInputs, expectations: readonly HostExpectations[]): Promise<Map<string, HostProbe | DeployError>> {
  const byHost = new Map(expectations.map((e) => [e.host, e]));
  const results = await onEveryHost([...byHost.keys()], inputs.forks, async (host) => {
    const started = Date.now();
    try {
      const probe = await probeHost(inputs.pool.get(host), byHost.get(host)!);
      inputs.onProbed?.(host, Date.now() - started);
      return probe;
    } catch (error) {
      inputs.onProbed?.(host, Date.now() - started, asDeployError(error, host));
      throw error;
    }
  });
  return new Map(results.map((r) => [r.host, isFailure(r) ? r.error : r.value]));
}

/** passwords.yml as the config layer read it: every secret key, its value and file:line. */
function passwordEntries(p: Prepared, file: string): PasswordEntry[] | undefined {
  if (!existsSync(file)) return undefined;
  const host = p.config.hosts()[0];
  if (host === undefined) return [];
  return p.config
    .names(host)
    .filter((name) => p.config.isSecret(host, name))
    .map((key) => {
      const where = p.config.origin(host, key);
      return { key, value: p.config.resolve(host, key), ...(where === undefined ? {} : { where }) };
    });
}

function deploymentChecks(inputs: PrecheckInputs): PrecheckReport["deployment"] {
  const { p } = inputs;
  const file = inputs.passwordsFile ?? join(inputs.configdir, "passwords.yml");
  const first = p.hosts[0] ?? p.config.hosts()[0];
  const vars = first === undefined ? {} : p.config.varsFor(first);
  const inventoryFile = p.inventory.sources.length === 1 ? p.inventory.sources[0]! : "the inventory";
  return [checkPasswords(file, passwordEntries(p, file)), checkGroups(p.inventory, p.roles, vars, inventoryFile)];
}

export async function runPrechecks(inputs: PrecheckInputs): Promise<PrecheckReport> {
  const expectations = expectationsFor(inputs.p);
  const deployment = deploymentChecks(inputs);
  const probed = await probeAll(inputs, expectations);
  const probes = new Map([...probed].filter((e): e is [string, HostProbe] => !(e[1] instanceof DeployError)));
  const cluster = clusterView(probes, expectations.find((e) => e.keepalivedContainer !== undefined)?.keepalivedContainer);
  const hosts: HostReport[] = expectations.map((exp) => {
    const probe = probed.get(exp.host)!;
    if (probe instanceof DeployError) return { host: exp.host, unreachable: probe, checks: [] };
    return { host: exp.host, checks: evaluateHost(exp, probe, cluster) };
  });
  return { hosts, deployment };
}
