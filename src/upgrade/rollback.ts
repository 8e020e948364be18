/**
 * `rollback`: undo the latest upgrade of a role from what its hosts saved — the previous config
 * files go back into the config directories and the containers are recreated with the previous
 * image, in the same rolling batches behind the same health gate. Roles go in reverse site order.
 */
import { DeployError } from "../errors.js";
import { normalizeImageRef } from "../engine/normalize.js";
import { runChecked } from "../exec/index.js";
import type { ContainerSpec } from "../engine/types.js";
import type { HostState } from "../plan/gather.js";
import type { ContainerAction } from "../plan/types.js";
import { emptyRecord } from "../plan/record.js";
import type { Role } from "../roles/index.js";
import { restoreConfigCommand } from "./host-commands.js";
import { containerCommands } from "../plan/steps/containers.js";
import { withDrained } from "./drain.js";
import { asDeployError, containerOptions, pullAll, recreateAndGate, saveRecord, step, type HostsEnv, type RunEnv } from "./host-ops.js";
import { withRolledBack, withStepsMoved } from "./record-edit.js";
import { rollOut } from "./rolling.js";
import type { ContainerResult, HostResult, RoleReport, RollingSettings, RunReport } from "./types.js";
import { emptyReport, planOrStop, runEnv } from "./run.js";
import { hasSavedState, rollbackWork, type RollbackWork } from "./work.js";

function present(state: HostState | undefined, image: string): boolean {
  const wanted = normalizeImageRef(image);
  return [...(state?.images.keys() ?? [])].some((ref) => normalizeImageRef(ref) === wanted);
}

/** Previous images a host no longer holds (pruned since): pulled before anything changes. */
function missingImages(env: RunEnv, work: readonly RollbackWork[]): Map<string, string[]> {
  const missing = new Map<string, string[]>();
  for (const w of work) {
    const state = env.result.states.get(w.host);
    const images = [...new Set(w.items.map((i) => i.previous.image))].filter((image) => !present(state, image));
    missing.set(w.host, [...(missing.get(w.host) ?? []), ...images]);
  }
  return missing;
}

export async function runRollback(env: HostsEnv, settings: RollingSettings): Promise<RunReport> {
  const started = Date.now();
  const report = emptyReport("rollback");
  const finish = () => Object.assign(report, { ms: Date.now() - started });
  const result = await planOrStop(env, report);
  if (result === undefined) return finish();
  const run = runEnv(env, settings, result);
  const roles = [...env.p.roles].reverse();
  if (!roles.some((role) => hasSavedState(role, run.records))) {
    throw new DeployError("E_ROLLBACK_NOTHING_SAVED", `no saved state for ${roles.map((r) => r.name).join(", ")} on any host`, "rollback restores what an upgrade saved on the hosts; run upgrade first");
  }
  // Missing previous images are pulled below before anything changes, so the commands pull nothing.
  const commandsFor = (host: string, action: ContainerAction, spec: ContainerSpec) =>
    containerCommands(action, spec, env.p.driver, { ...containerOptions(env, host), imagePresent: true });
  const plans = roles.map((role) => ({ role, work: rollbackWork(result, role, run.records, commandsFor) }));
  const pullFailed = await pullAll(env, missingImages(run, plans.flatMap((p) => p.work)));
  if (pullFailed.size > 0) {
    for (const [host, error] of pullFailed) report.failedBeforeChange.set(host, error);
    report.stopped = "pulling the previous images failed; nothing was changed";
    return finish();
  }
  for (const { role, work } of plans) {
    if (report.stopped !== undefined || work.length === 0) continue;
    const roleReport: RoleReport = { role: role.name, batches: [], steps: [] };
    report.roles.push(roleReport);
    report.hosts.push(...(await rollOut(run, roleReport, work, (w, batch) => rollbackHost(run, role, w, batch))));
    if (roleReport.stopped !== undefined) report.stopped = roleReport.stopped;
  }
  return finish();
}

async function rollbackHost(env: RunEnv, role: Role, w: RollbackWork, batch: number): Promise<HostResult> {
  const started = Date.now();
  const containers: ContainerResult[] = w.items.map((i) => ({ container: i.change.container, action: i.change.action, from: i.currentImage, to: i.previous.image }));
  const result: HostResult = { host: w.host, role: role.name, status: "rolled back", batch, containers, files: [], ms: 0 };
  const saved = w.items.map((i) => ({ container: i.change.container, configDir: i.previous.configDir }));
  try {
    await step(env, w.host, `restore saved config of ${saved.length} container(s)`, () => runChecked(env.pool.get(w.host), restoreConfigCommand(saved)));
    result.files = w.items.flatMap((i) => Object.keys(i.previous.fileHashes).map((name) => `${i.previous.configDir}/${name}`));
    await withDrained(env, role, w.host, () => recreateAndGate(env, w.host, w.items.map((i) => i.change), containers));
  } catch (error) {
    result.status = "failed";
    result.error = asDeployError(error, w.host);
  }
  await recordRolledBack(env, role, w, containers, result);
  result.ms = Date.now() - started;
  return result;
}

async function recordRolledBack(env: RunEnv, role: Role, w: RollbackWork, containers: readonly ContainerResult[], result: HostResult): Promise<void> {
  const now = new Date().toISOString();
  let record = env.records.get(w.host) ?? emptyRecord();
  for (const item of w.items) {
    const name = item.change.container;
    if (containers.find((c) => c.container === name)?.startedAt === undefined) continue;
    const before = record.containers[name]?.image ?? "";
    record = withStepsMoved(withRolledBack(record, name, now), role, name, before, item.previous.image);
  }
  env.records.set(w.host, record);
  try {
    await saveRecord(env, w.host);
  } catch (error) {
    result.status = "failed";
    result.error ??= asDeployError(error, w.host);
  }
}
