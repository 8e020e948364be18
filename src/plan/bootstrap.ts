/**
 * Which one-shot steps a run must do (pure): each enabled step of the selected roles for the
 * action, on the first host in play of its service's groups (or every such host for a
 * non-run-once exec), unless the host's record says it already succeeded with the same image.
 */
import type { ContainerEngineDriver } from "../engine/driver.js";
import { DeployError } from "../errors.js";
import type { BootstrapStep, Role, StepAction, StepPhase } from "../roles/index.js";
import type { DesiredHost } from "./desired.js";
import type { HostState } from "./gather.js";
import { renderTemplate } from "../template/render.js";
import { templateContext, type InventoryLookup, type VarsSource } from "./host-context.js";
import { allEnabled, sha256 } from "./render-files.js";
import { stepCommands } from "./steps/index.js";
import type { BootstrapChange, PlannedCommand } from "./types.js";

export interface PlannedStep {
  /** stable id, recorded on the host after success: `<role>:<index>:<kind>` */
  readonly id: string;
  readonly role: Role;
  readonly step: BootstrapStep;
  readonly host: string;
  readonly phase: StepPhase;
  /** the service's image on that host, recorded after success */
  readonly image: string;
  readonly change: BootstrapChange;
}

/**
 * A run-once step belongs to the first host of its groups in the whole inventory, whatever --limit
 * says (kolla delegates to groups[...][0] the same way): a node joining with --limit must not
 * bootstrap a second database cluster. Per-host steps run on the hosts in play.
 */
function stepHosts(step: BootstrapStep, role: Role, inPlay: readonly string[], lookup: InventoryLookup): string[] {
  const service = role.services.find((s) => s.key === step.service);
  const groups = step.kind === "exec" && step.groups.length > 0 ? step.groups : (service?.groups ?? []);
  const members = [...new Set(groups.flatMap((g) => lookup.groupHosts(g)))];
  const runOnce = step.kind !== "exec" || step.runOnce;
  if (runOnce) return members.slice(0, 1);
  return inPlay.filter((h) => members.includes(h));
}

/** One line for plans and progress; template fields are shown rendered (never passwords: none are shown). */
export function describeStep(step: BootstrapStep, render: (text: string) => string = (t) => t): string {
  switch (step.kind) {
    case "database":
      return `create database ${render(step.database)} and its user ${render(step.user)}`;
    case "one_shot":
      return `run ${render(step.containerName)} (${step.mode === "upgrade" ? "KOLLA_UPGRADE" : "KOLLA_BOOTSTRAP"})`;
    case "keystone_register":
      return `register ${render(step.serviceName)} (${render(step.serviceType)}) in keystone`;
    case "exec":
      return `exec in ${render(step.container)}: ${step.description ?? commandWords(step.command)}`;
  }
}

/**
 * The command's literal leading words, up to its first option or template: "nova-manage cell_v2
 * map_cell0", "kolla_keystone_bootstrap". Never a rendered template: arguments can be passwords
 * (keystone's bootstrap takes the admin password as its second).
 */
export function commandWords(argv: readonly string[]): string {
  const words: string[] = [];
  for (const word of argv.slice(0, 4)) {
    if (word.startsWith("-") || /\s/.test(word) || word.includes("{{")) break;
    words.push(word);
  }
  return words.join(" ") || "command";
}

/** The image of the step's service on that host: a new image (upgrade) means the step runs again. */
function imageOf(role: Role, step: BootstrapStep, vars: VarsSource, lookup: InventoryLookup, host: string): string {
  const service = role.services.find((s) => s.key === step.service);
  if (service === undefined) return "";
  const ctx = templateContext(host, vars.varsFor(host), lookup);
  return renderTemplate(service.image, `roles/${role.name}/role.yml: services.${service.key}.image`, ctx);
}

/** What the step builders need besides the variables: the engine, and each host's desired containers. */
export interface StepWorld {
  readonly lookup: InventoryLookup;
  readonly vars: VarsSource;
  readonly states: ReadonlyMap<string, HostState>;
  readonly desired: ReadonlyMap<string, DesiredHost>;
  readonly driver: ContainerEngineDriver;
  /** a step that cannot be built fails its host here (the others go on); without it, the error is thrown */
  readonly failed?: Map<string, DeployError>;
}

function isRunOnce(step: BootstrapStep): boolean {
  return step.kind !== "exec" || step.runOnce;
}

/** The step on one host, its commands built now: apply renders nothing. */
function plannedOn(host: string, role: Role, step: BootstrapStep, index: number, image: string, reason: string, w: StepWorld): PlannedStep {
  const id = `${role.name}:${index}:${step.kind}`;
  const where = `roles/${role.name}/role.yml: bootstrap[${index}]`;
  const ctx = templateContext(host, w.vars.varsFor(host), w.lookup);
  const render = (t: string, key = "") => (t.includes("{{") ? renderTemplate(t, key === "" ? where : `${where}.${key}`, ctx) : t);
  const spec = w.desired.get(host)?.services.find((s) => s.role.name === role.name && s.service.key === step.service)?.spec;
  const commands = stepCommands(step, { render, vars: ctx.vars, driver: w.driver, spec, where });
  const change: BootstrapChange = { role: role.name, step: id, description: describeStep(step, render), reason, phase: step.phase, runOnce: isRunOnce(step), image, commands };
  return { id, role, step, host, phase: step.phase, image, change };
}

/**
 * What the host's record must say for the step to count as done: its image, and for a step that
 * re-runs on change, a digest of its rendered commands after it (`<image>#<digest>`).
 */
function rerunsOnChange(step: BootstrapStep): boolean {
  return step.kind === "exec" && step.rerunOnChange;
}

export function doneKey(step: BootstrapStep, image: string, commands: readonly PlannedCommand[]): string {
  if (!rerunsOnChange(step)) return image;
  const argvs = commands.map((c) => c.command.argv);
  return `${image}#${sha256(JSON.stringify(argvs)).slice(0, 12)}`;
}

export function reasonFor(done: { readonly image: string } | undefined, key: string): string {
  if (done === undefined) return "never run on this host";
  const [was, now] = [done.image.split("#")[0], key.split("#")[0]];
  return was !== now ? `image changed (${was} → ${now})` : "its command changed since it last ran (a host joined or left its group)";
}

export function planBootstrap(roles: readonly Role[], inPlay: readonly string[], action: StepAction, w: StepWorld): PlannedStep[] {
  const planned: PlannedStep[] = [];
  for (const role of roles) {
    role.bootstrap.forEach((step, index) => {
      if (!step.actions.includes(action)) return;
      const id = `${role.name}:${index}:${step.kind}`;
      for (const host of stepHosts(step, role, inPlay, w.lookup)) {
        const service = role.services.find((s) => s.key === step.service);
        const enabled = [...step.enabled, ...(service?.enabled ?? [])];
        if (!allEnabled(enabled, w.vars.varsFor(host))) continue;
        const done = w.states.get(host)?.record.bootstrap[id];
        const image = imageOf(role, step, w.vars, w.lookup, host);
        // Only a step that re-runs on change must be built before it is known to be needed.
        if (action === "deploy" && done !== undefined && done.image === image && !rerunsOnChange(step)) continue;
        try {
          const one = plannedOn(host, role, step, index, image, "", w);
          const key = doneKey(step, image, one.change.commands);
          if (action === "deploy" && done !== undefined && done.image === key) continue;
          planned.push({ ...one, image: key, change: { ...one.change, image: key, reason: reasonFor(done, key) } });
        } catch (error) {
          if (!(error instanceof DeployError) || w.failed === undefined) throw error;
          w.failed.set(host, error);
        }
      }
    });
  }
  return planned;
}
