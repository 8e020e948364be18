/**
 * bootstrap-servers (docs/bootstrap-servers.md): prepares the baremetal hosts for containers as
 * kolla's baremetal role does — container engine package and configuration, /etc/hosts, the kolla
 * user, the config directory. prepare → one gather exec per host → pure plan → apply.
 */
export { prepareBootstrap, BAREMETAL_GROUP, type BootstrapPrepared } from "./prepare.js";
export { planBootstrap, applyBootstrap, type BootstrapPlanResult, type BootstrapOutcome } from "./run.js";
export { formatBootstrapPlan, formatBootstrapSummary, bootstrapJson, describeChange } from "./format.js";
export { planHasWork, type BootstrapChange, type BootstrapSettings, type HostBootstrapPlan, type HostBootstrapState } from "./types.js";
export { BOOTSTRAP_DEFAULTS_YAML } from "./defaults.js";
