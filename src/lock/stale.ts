/**
 * When a held lock may be taken over. Two independent signs that its holder is gone:
 *
 * 1. The holder ran on this very deployment host and its process no longer exists (or the PID now
 *    belongs to a process that started at another time). Decisive and immediate.
 * 2. The holder stopped refreshing its heartbeat (the lock file's mtime, touched every
 *    `heartbeatSec` while a run holds it) for longer than `staleAfterSec`, measured by the target
 *    host's own clock. The only sign available for a holder on another deployment host.
 *
 * A live holder on this host is never stale, however old its heartbeat: it may just be stopped
 * (^Z) and will continue. A lock file we cannot read only goes stale by age.
 */
import type { LockObservation, LockVerdict } from "./types.js";
import { formatAge } from "./holder.js";

export interface StaleContext {
  readonly localHost: string;
  readonly staleAfterSec: number;
  readonly isAlive: (pid: number, startTime: string | undefined) => boolean;
}

export function judgeLock(seen: LockObservation, ctx: StaleContext): LockVerdict {
  if (seen.state === "free") return { kind: "free" };
  const holder = seen.holder;
  if (holder !== undefined && holder.host === ctx.localHost) {
    if (ctx.isAlive(holder.pid, holder.pidStart)) return { kind: "held" };
    return { kind: "stale", why: `its process ${holder.pid} on ${holder.host} is gone` };
  }
  if (seen.heartbeatAgeSec > ctx.staleAfterSec) {
    return { kind: "stale", why: `no heartbeat for ${formatAge(seen.heartbeatAgeSec)} (more than ${formatAge(ctx.staleAfterSec)})` };
  }
  return { kind: "held" };
}
