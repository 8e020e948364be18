/**
 * What nova's compute containers ask of a host, from the configuration: the virt type where
 * nova-compute runs, and where our nova_libvirt runs, the qemu.conf limits (qemu_max_files,
 * qemu_max_processes) and the container's own ulimits. Pure over the host's variables.
 */
import { DeployError } from "../errors.js";
import type { Vars } from "../inventory/types.js";
import { toDimensions } from "../plan/container-spec.js";
import { ulimitName } from "./limits.js";
import type { PlacedService } from "./services.js";
import type { ComputeNeeds, ContainerUlimit, QemuLimitNeed, QemuResource } from "./types.js";

/** qemu.conf's max_files / max_processes (roles/nova/templates/qemu.conf.hbs) and the rlimit each sets. */
export const QEMU_LIMIT_VARIABLES: readonly { readonly variable: string; readonly resource: QemuResource }[] = [
  { variable: "qemu_max_files", resource: "nofile" },
  { variable: "qemu_max_processes", resource: "nproc" },
];

/** kolla's default when a role does not define it. */
const DEFAULT_VIRT_TYPE = "kvm";

function qemuLimits(host: string, vars: Vars): QemuLimitNeed[] {
  return QEMU_LIMIT_VARIABLES.flatMap(({ variable, resource }) => {
    const raw = vars[variable];
    if (raw === undefined || raw === null || raw === "") return [];
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) {
      throw new DeployError("E_PRECHECK_CONFIG", `${variable} is ${JSON.stringify(raw)}, not a whole number`, `set ${variable} to a number, e.g. 16384`, { host });
    }
    return [{ variable, resource, value }];
  });
}

function libvirtUlimits(dimensions: unknown): ContainerUlimit[] {
  return (toDimensions(dimensions).ulimits ?? []).flatMap((u) =>
    Number.isFinite(u.hard) ? [{ name: ulimitName(u.name), hard: u.hard < 0 ? null : u.hard }] : [],
  );
}

/** undefined when neither nova-compute nor nova-libvirt runs on the host. */
export function computeNeeds(host: string, placed: readonly PlacedService[], vars: Vars): ComputeNeeds | undefined {
  const compute = placed.find((p) => p.service.key === "nova-compute");
  const libvirt = placed.find((p) => p.service.key === "nova-libvirt")?.service;
  if (compute === undefined && libvirt === undefined) return undefined;
  const virtType = vars["nova_compute_virt_type"];
  const dimensions = libvirt?.dimensions ?? "nova_libvirt_dimensions";
  return {
    ...(compute === undefined ? {} : { virtType: virtType === undefined || virtType === null || virtType === "" ? DEFAULT_VIRT_TYPE : String(virtType) }),
    ...(libvirt === undefined ? {} : { libvirtContainer: libvirt.containerName }),
    qemuLimits: libvirt === undefined ? [] : qemuLimits(host, vars),
    libvirtUlimits: libvirt === undefined ? [] : libvirtUlimits(vars[dimensions]),
    libvirtDimensions: dimensions,
    libvirtMayRaise: libvirt !== undefined && (libvirt.privileged || libvirt.capAdd.some((c) => /^(CAP_)?(SYS_RESOURCE|ALL)$/i.test(c))),
  };
}
