/**
 * Where kolla-deploy keeps its own state on each target host: the host record (plan/record.ts), the
 * deploy lock and the run history (lock/), an upgrade's saved previous state. Neutral, so that lock/
 * and plan/ share the directory without importing each other.
 */
export const STATE_DIR = "/var/lib/kolla-deploy";
