/**
 * prechecks/: kolla's prechecks (kolla-reference §9) as one read-only pass. Expectations come from
 * the configuration (expect.ts, services.ts, compute-needs.ts), each host answers ONE composed exec
 * (probe.ts, compute-probe.ts), verdicts are pure (evaluate.ts, compute.ts, limits.ts, deployment.ts),
 * and table.ts renders the report.
 */
export { runPrechecks, probeHost, type PrecheckInputs } from "./run.js";
export { formatReport, reportJson, reportPassed } from "./table.js";
export { expectationsFor, DEFAULT_MIN_DISK_GB, MIN_DISK_VARIABLE } from "./expect.js";
export { evaluateHost, clusterView, MIN_ENGINE_VERSION } from "./evaluate.js";
export { checkPasswords, checkGroups } from "./deployment.js";
export { checkCompute } from "./compute.js";
export type * from "./types.js";
