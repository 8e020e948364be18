/**
 * upgrade/: rolling upgrades and rollbacks of roles (docs/upgrade.md). Built on apply/ (prepare,
 * makePlan, container changes, bootstrap steps) and engine/ops (pull, health); adds the batches,
 * the health gate, and the saved previous state on each host.
 */
export { parseSerial, parsePercentage, makeBatches, batchSize, mustStop, type Serial } from "./batches.js";
export { prepareRollout, type RolloutScope } from "./prepare.js";
export { runUpgrade } from "./upgrade.js";
export { emptyReport } from "./run.js";
export { runRollback } from "./rollback.js";
export { formatRunSummary, runReportJson } from "./report.js";
export { hostHistories, type HostHistoryFacts } from "./history.js";
export type { HostsEnv } from "./host-ops.js";
export { runFailed, type RunReport, type HostResult, type RoleReport, type RollingSettings, type ContainerResult } from "./types.js";
