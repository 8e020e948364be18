/**
 * The compute check (kolla's nova-cell prechecks, plus the qemu limits): on a host running
 * nova-compute with nova_compute_virt_type kvm, /dev/kvm must be a character device; where our
 * nova_libvirt will run, the host must not run a libvirt of its own, and qemu.conf's max_files /
 * max_processes must fit under the hard limits nova_libvirt gets from the engine: libvirtd sets
 * them on each guest's qemu, and raising a hard limit needs CAP_SYS_RESOURCE (a privileged
 * container has it only where the engine does, e.g. not on the test bed). Without it setrlimit
 * fails with EPERM and every domain start fails with "Operation not permitted". Pure.
 */
import { DeployError } from "../errors.js";
import { containerHardLimit } from "./limits.js";
import type { CheckOutcome, ComputeNeeds, ComputeProbe, HostExpectations, HostProbe, QemuLimitNeed } from "./types.js";

const LIBVIRT_SOCKET = "/run/libvirt/libvirt-sock";

function kvmProblems(host: string, needs: ComputeNeeds, c: ComputeProbe): DeployError[] {
  if (needs.virtType !== "kvm" || c.kvm === "chr") return [];
  const what = c.kvm === "missing" ? `/dev/kvm does not exist on ${host}` : `/dev/kvm on ${host} is not a character device`;
  const hint = `set nova_compute_virt_type: qemu in globals.yml (software emulation), or enable hardware virtualisation on ${host}`;
  return [new DeployError("E_PRECHECK_KVM", `nova_compute_virt_type is kvm, but ${what}`, hint, { host })];
}

/** kolla: "Checking that host libvirt is not running", skipped once our container runs (the socket is then its own). */
function hostLibvirtProblems(host: string, needs: ComputeNeeds, c: ComputeProbe, running: readonly string[] | undefined): DeployError[] {
  const container = needs.libvirtContainer;
  if (container === undefined || running === undefined || running.includes(container) || !c.hostLibvirtSocket) return [];
  const hint = `stop and disable the host's libvirt (systemctl disable --now libvirtd libvirtd.socket libvirtd-ro.socket libvirtd-admin.socket): ${container} needs /run/libvirt`;
  return [new DeployError("E_PRECHECK_LIBVIRT", `a libvirt of the host's own runs on ${host} (${LIBVIRT_SOCKET} exists) while ${container} does not`, hint, { host })];
}

function shown(hard: number | null): string {
  return hard === null ? "unlimited" : String(hard);
}

const FAILS = `libvirt would fail to start every guest ("Operation not permitted")`;

/** libvirt sets RLIMIT_NOFILE to max_files + 1 (virProcessSetMaxFiles) and RLIMIT_NPROC to max_processes. */
const applied = (need: QemuLimitNeed) => (need.resource === "nofile" ? need.value + 1 : need.value);
/** The largest value that fits under `hard`. */
const largest = (need: QemuLimitNeed, hard: number) => (need.resource === "nofile" ? hard - 1 : hard);
/** "qemu_max_files is 32768 (libvirt applies 32769)" */
const valueShown = (need: QemuLimitNeed) => `${need.variable} is ${need.value}${need.resource === "nofile" ? ` (libvirt applies ${applied(need)})` : ""}`;

function limitProblem(host: string, need: QemuLimitNeed, message: string, max: number, raise: string): DeployError {
  return new DeployError("E_PRECHECK_QEMU_LIMIT", message, `set ${need.variable}: ${max} in globals.yml, or raise ${raise}`, { host });
}

/**
 * A privileged nova_libvirt whose engine holds CAP_SYS_RESOURCE (initial user namespace) may raise
 * its hard limits, up to fs.nr_open for open files; without it, the hard limit it starts with is final.
 */
function qemuLimit(host: string, exp: HostExpectations, needs: ComputeNeeds, c: ComputeProbe, need: QemuLimitNeed): { problem?: DeployError; note: string } {
  if (needs.libvirtMayRaise && c.limitSources[0]?.canRaise === true) {
    const nrOpen = c.nrOpen;
    if (need.resource !== "nofile" || nrOpen === undefined || applied(need) <= nrOpen) return { note: `${need.resource} raisable` };
    const message = `${valueShown(need)}, above fs.nr_open ${nrOpen} on ${host}, which no process may exceed; ${FAILS}`;
    return { problem: limitProblem(host, need, message, largest(need, nrOpen), `fs.nr_open (sysctl) on ${host}`), note: "" };
  }
  const limit = containerHardLimit(exp.engine, need.resource, c, { ulimits: needs.libvirtUlimits, variable: needs.libvirtDimensions });
  if (limit === undefined) return { note: `${need.resource} limit unknown` };
  const note = `${need.resource} ${shown(limit.hard)}`;
  if (limit.hard === null || applied(need) <= limit.hard) return { note };
  const message =
    `${valueShown(need)}, above the hard ${need.resource} limit ${limit.hard} that nova_libvirt gets on ${host} ` +
    `(from ${limit.from}) and cannot raise without CAP_SYS_RESOURCE; ${FAILS}`;
  return { problem: limitProblem(host, need, message, largest(need, limit.hard), limit.raise), note };
}

export function checkCompute(host: string, exp: HostExpectations, probe: HostProbe): CheckOutcome {
  const needs = exp.compute;
  if (needs === undefined) return { check: "compute", status: "n/a", note: "", problems: [] };
  const c = probe.compute;
  if (c === undefined) {
    const problem = new DeployError("E_PRECHECK_PROBE", `cannot read /dev/kvm, libvirt and the engine's limits on ${host}`, "check that the probe's sh runs as root there", { host });
    return { check: "compute", status: "fail", note: "", problems: [problem] };
  }
  const limits = needs.qemuLimits.map((need) => qemuLimit(host, exp, needs, c, need));
  const problems = [...kvmProblems(host, needs, c), ...hostLibvirtProblems(host, needs, c, probe.running), ...limits.flatMap((l) => l.problem ?? [])];
  const notes = [...(needs.virtType === undefined ? [] : [needs.virtType]), ...limits.map((l) => l.note)];
  return { check: "compute", status: problems.length === 0 ? "ok" : "fail", note: problems.length === 0 ? notes.join(", ") : "", problems };
}
