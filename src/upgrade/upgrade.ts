/**
 * `upgrade`: pull the new images everywhere first (a failed pull changes nothing), plan again
 * against what was pulled, then per role in site order: the role's upgrade steps once (new config
 * on that host first), then its containers in rolling batches behind the health gate. Before a
 * container is recreated, its host records what it ran and keeps a copy of its config, for
 * `rollback`.
 */
import { runPlanned } from "../apply/run-commands.js";
import { runChecked } from "../exec/index.js";
import { planBootstrap, type PlannedStep } from "../plan/bootstrap.js";
import { emptyRecord } from "../plan/record.js";
import type { StepPhase, Role } from "../roles/index.js";
import { withDrained } from "./drain.js";
import { saveConfigCommand } from "./host-commands.js";
import { asDeployError, hostRunner, pullAll, recreateAndGate, saveRecord, step, type HostsEnv, type RunEnv } from "./host-ops.js";
import { keepsPrevious, previousFromState, withPrevious, withStep, withStepsMoved, withUpgraded } from "./record-edit.js";
import { rollOut } from "./rolling.js";
import { emptyReport, planOrStop, runEnv } from "./run.js";
import type { ContainerResult, HostResult, RoleReport, RollingSettings, RunReport, UpgradeWork } from "./types.js";
import { imagesByHost, upgradeWork } from "./work.js";

interface RoleRun {
  readonly env: RunEnv;
  readonly role: Role;
  readonly report: RoleReport;
  readonly upgradeId: string;
  /** hosts whose previous state is saved and new config written, this run, with the files written */
  readonly ready: Map<string, string[]>;
}

export async function runUpgrade(env: HostsEnv, settings: RollingSettings, tag?: string): Promise<RunReport> {
  const started = Date.now();
  const report = emptyReport("upgrade", tag);
  const finish = () => Object.assign(report, { ms: Date.now() - started });
  const first = await planOrStop(env, report);
  if (first === undefined) return finish();
  const pullFailed = await pullAll(env, imagesByHost(first));
  if (pullFailed.size > 0) {
    for (const [host, error] of pullFailed) report.failedBeforeChange.set(host, error);
    report.stopped = "pulling the new images failed; nothing was changed";
    return finish();
  }
  // Plan again: a pulled image may be a new id under the same tag, which only now shows as a change.
  const result = await planOrStop(env, report);
  if (result === undefined) return finish();
  const run = runEnv(env, settings, result);
  const upgradeId = new Date().toISOString();
  for (const role of env.p.roles) {
    if (report.stopped !== undefined) break;
    const roleReport: RoleReport = { role: role.name, batches: [], steps: [] };
    report.roles.push(roleReport);
    report.hosts.push(...(await upgradeRole({ env: run, role, report: roleReport, upgradeId, ready: new Map() })));
    if (roleReport.stopped !== undefined) report.stopped = roleReport.stopped;
  }
  return finish();
}

async function upgradeRole(rr: RoleRun): Promise<HostResult[]> {
  const work = upgradeWork(rr.env.result, rr.role);
  if (!(await runUpgradeSteps(rr, work, ["register", "bootstrap"]))) {
    return work.map((w) => ({ host: w.host, role: rr.role.name, status: "not reached", batch: 0, containers: [], files: [], ms: 0 }));
  }
  const results = await rollOut(rr.env, rr.report, work, (w, batch) => upgradeHost(rr, w, batch));
  if (rr.report.stopped === undefined) await runUpgradeSteps(rr, work, ["post_start"]);
  return results;
}

/** The role's upgrade steps of these phases, each once, skipped when already done with the same image. */
async function runUpgradeSteps(rr: RoleRun, work: readonly UpgradeWork[], phases: readonly StepPhase[]): Promise<boolean> {
  const { result } = rr.env;
  const hosts = result.plan.hosts.map((h) => h.host);
  const world = { lookup: result.lookup, vars: result.vars, states: result.states, desired: result.desired, driver: rr.env.p.driver };
  const planned = planBootstrap([rr.role], hosts, "upgrade", world).filter(
    (s) => phases.includes(s.phase) && rr.env.records.get(s.host)?.bootstrap[s.id]?.image !== s.image,
  );
  for (const one of planned) {
    try {
      await runUpgradeStep(rr, one, work.find((w) => w.host === one.host));
    } catch (error) {
      rr.report.stopped = `${rr.role.name}: upgrade step failed on ${one.host}: ${asDeployError(error, one.host).oneLine()}`;
      return false;
    }
  }
  return true;
}

async function runUpgradeStep(rr: RoleRun, planned: PlannedStep, hostWork: UpgradeWork | undefined): Promise<void> {
  const { env } = rr;
  const host = planned.host;
  // The step runs the new image against the new config, so that host gets its config now.
  if (hostWork !== undefined) await prepareHost(rr, hostWork);
  await step(env, host, `${rr.role.name}: ${planned.change.description}`, () => runPlanned(hostRunner(env, host), planned.change.commands));
  env.records.set(host, withStep(env.records.get(host) ?? emptyRecord(), planned.id, planned.image, new Date().toISOString()));
  await saveRecord(env, host);
  rr.report.steps.push({ host, description: planned.change.description });
}

/** Saves what the host's containers run (record + config copy), then writes the new config. Once per host. */
async function prepareHost(rr: RoleRun, w: UpgradeWork): Promise<void> {
  if (rr.ready.has(w.host)) return;
  const { env } = rr;
  const state = env.result.states.get(w.host)!;
  const existing = w.changes.filter((c) => c.action !== "create");
  let record = env.records.get(w.host) ?? emptyRecord();
  const copies = existing
    .filter((c) => !keepsPrevious(record.containers[c.container]))
    .map((c) => ({ container: c.container, configDir: w.dirs.get(c.container)! }));
  await step(env, w.host, `save current state of ${existing.length} container(s)`, async () => {
    if (copies.length > 0) await runChecked(env.pool.get(w.host), saveConfigCommand(copies));
    const now = new Date().toISOString();
    for (const c of existing) record = withPrevious(record, c.container, previousFromState(state, c.container, w.dirs.get(c.container)!, rr.upgradeId, now));
    env.records.set(w.host, record);
    await saveRecord(env, w.host);
  });
  if (w.files.length > 0) {
    const uploads = w.files.map((f) => ({ path: f.path, content: f.content, mode: f.mode, owner: f.owner, group: f.group }));
    await step(env, w.host, `write ${w.files.length} config file(s)`, () => env.pool.get(w.host).putFiles(uploads, { become: true }));
  }
  rr.ready.set(w.host, w.files.map((f) => f.path));
}

async function upgradeHost(rr: RoleRun, w: UpgradeWork, batch: number): Promise<HostResult> {
  const started = Date.now();
  const state = rr.env.result.states.get(w.host)!;
  const containers: ContainerResult[] = w.changes.map((c) => ({ container: c.container, action: c.action, from: state.containers.get(c.container)?.image ?? "", to: c.spec.image }));
  const result: HostResult = { host: w.host, role: rr.role.name, status: "upgraded", batch, containers, files: [], ms: 0 };
  try {
    await prepareHost(rr, w);
    result.files = rr.ready.get(w.host) ?? [];
    await withDrained(rr.env, rr.role, w.host, () => recreateAndGate(rr.env, w.host, w.changes, containers));
  } catch (error) {
    result.status = "failed";
    result.error = asDeployError(error, w.host);
    result.files = rr.ready.get(w.host) ?? [];
  }
  await recordUpgraded(rr, w, containers, result);
  result.ms = Date.now() - started;
  return result;
}

async function recordUpgraded(rr: RoleRun, w: UpgradeWork, containers: readonly ContainerResult[], result: HostResult): Promise<void> {
  const now = new Date().toISOString();
  let record = rr.env.records.get(w.host) ?? emptyRecord();
  for (const change of w.changes) {
    if (containers.find((c) => c.container === change.container)?.startedAt === undefined) continue;
    const before = record.containers[change.container]?.image ?? "";
    record = withUpgraded(record, { container: change.container, image: change.spec.image, configHash: change.configHash, fileHashes: change.fileHashes }, now, result.status !== "failed");
    record = withStepsMoved(record, rr.role, change.container, before, change.spec.image);
  }
  rr.env.records.set(w.host, record);
  try {
    await saveRecord(rr.env, w.host);
  } catch (error) {
    result.status = "failed";
    result.error ??= asDeployError(error, w.host);
  }
}
