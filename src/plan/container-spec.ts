/**
 * The desired ContainerSpec of one kolla service on one host: role.yml fields rendered, the
 * variables they name (dimensions, healthcheck, extra volumes) converted from kolla's shapes.
 */
import { toBool } from "../config/index.js";
import { DeployError } from "../errors.js";
import type { ContainerSpec, Dimensions, Healthcheck, Ulimit } from "../engine/types.js";
import type { Role, ServiceDef } from "../roles/index.js";
import { renderTemplate, type TemplateContext } from "../template/render.js";

function render(text: string, where: string, ctx: TemplateContext): string {
  return text.includes("{{") ? renderTemplate(text, where, ctx) : text;
}

function renderMap(map: Readonly<Record<string, string>>, where: string, ctx: TemplateContext): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, render(v, `${where}.${k}`, ctx)]));
}

function named(ctx: TemplateContext, name: string | undefined): unknown {
  return name === undefined ? undefined : ctx.vars[name];
}

function seconds(value: unknown, what: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new DeployError("E_HEALTHCHECK", `${what} must be a number of seconds, got ${JSON.stringify(value)}`, "fix the <service>_healthcheck_* variables");
  }
  return n;
}

/** kolla healthcheck mapping → Healthcheck; `test: NONE` (or absent) means no healthcheck. */
export function toHealthcheck(value: unknown, ctx: TemplateContext): Healthcheck | undefined {
  if (value === undefined || value === null) return undefined;
  const hc = value as Record<string, unknown>;
  const test = hc.test;
  if (test === "NONE" || test === undefined || (Array.isArray(test) && test[0] === "NONE")) return undefined;
  if (!toBool(ctx.vars["enable_container_healthchecks"] ?? true)) return undefined;
  const argv = Array.isArray(test) ? test.map(String) : ["CMD-SHELL", String(test)];
  return {
    test: argv,
    intervalSec: seconds(hc.interval ?? 30, "healthcheck interval"),
    timeoutSec: seconds(hc.timeout ?? 30, "healthcheck timeout"),
    retries: seconds(hc.retries ?? 3, "healthcheck retries"),
    startPeriodSec: seconds(hc.start_period ?? 5, "healthcheck start_period"),
  };
}

/** kolla dimensions mapping (`ulimits`, `mem_limit`, ...) → Dimensions. */
export function toDimensions(value: unknown): Dimensions {
  if (value === undefined || value === null || typeof value !== "object") return {};
  const d = value as Record<string, unknown>;
  const ulimits: Ulimit[] = Object.entries((d.ulimits as Record<string, { soft?: unknown; hard?: unknown }> | undefined) ?? {}).map(
    ([name, lim]) => ({ name, soft: Number(lim.soft ?? lim.hard), hard: Number(lim.hard ?? lim.soft) }),
  );
  const str = (v: unknown) => (v === undefined || v === null || v === "" ? undefined : String(v));
  const dims: Dimensions = {
    ...(ulimits.length > 0 ? { ulimits } : {}),
    ...(str(d.mem_limit) === undefined ? {} : { memLimit: str(d.mem_limit)! }),
    ...(str(d.mem_reservation) === undefined ? {} : { memReservation: str(d.mem_reservation)! }),
    ...(str(d.cpus) === undefined ? {} : { cpus: str(d.cpus)! }),
    ...(str(d.cpuset_cpus) === undefined ? {} : { cpusetCpus: str(d.cpuset_cpus)! }),
    ...(d.cpu_shares === undefined ? {} : { cpuShares: Number(d.cpu_shares) }),
  };
  return dims;
}

function volumes(service: ServiceDef, where: string, ctx: TemplateContext): string[] {
  const own = service.volumes.map((v, i) => render(v, `${where}.volumes[${i}]`, ctx));
  const extra = named(ctx, service.extraVolumes);
  const extras = Array.isArray(extra) ? extra.map(String) : [];
  return [...own, ...extras].map((v) => v.trim()).filter((v) => v !== "");
}

export function containerSpec(role: Role, service: ServiceDef, ctx: TemplateContext): ContainerSpec {
  const where = `roles/${role.name}/role.yml: services.${service.key}`;
  const strategy = String(ctx.vars["config_strategy"] ?? "COPY_ALWAYS");
  const healthcheck = toHealthcheck(named(ctx, service.healthcheck), ctx);
  const retries = Number(ctx.vars["docker_restart_policy_retry"] ?? 10);
  return {
    name: service.containerName,
    image: render(service.image, `${where}.image`, ctx),
    ...(service.command === undefined ? {} : { command: render(service.command, `${where}.command`, ctx) }),
    environment: { KOLLA_CONFIG_STRATEGY: strategy, ...renderMap(service.environment, `${where}.environment`, ctx) },
    labels: renderMap(service.labels, `${where}.labels`, ctx),
    volumes: volumes(service, where, ctx),
    privileged: service.privileged,
    ...(service.pidMode === undefined ? {} : { pidMode: render(service.pidMode, `${where}.pid_mode`, ctx) }),
    ...(service.ipcMode === undefined ? {} : { ipcMode: render(service.ipcMode, `${where}.ipc_mode`, ctx) }),
    ...(service.cgroupnsMode === undefined ? {} : { cgroupnsMode: render(service.cgroupnsMode, `${where}.cgroupns_mode`, ctx) }),
    capAdd: service.capAdd.map((v) => render(v, `${where}.cap_add`, ctx)),
    securityOpt: service.securityOpt.map((v) => render(v, `${where}.security_opt`, ctx)),
    tmpfs: service.tmpfs.map((v) => render(v, `${where}.tmpfs`, ctx)).filter((v) => v !== ""),
    ...(healthcheck === undefined ? {} : { healthcheck }),
    dimensions: toDimensions(named(ctx, service.dimensions)),
    restartPolicy: String(ctx.vars["docker_restart_policy"] ?? "unless-stopped"),
    ...(Number.isFinite(retries) ? { restartRetries: retries } : {}),
  };
}
