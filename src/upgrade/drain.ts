/**
 * A rolling batch takes its hosts out of haproxy before their containers stop, and puts them back
 * once they pass the health gate. kolla-ansible leaves this to haproxy's checks (inter 2 s, fall
 * 5): for up to 10 s haproxy keeps sending requests to a stopped backend, and after the restart it
 * routes to apache as soon as the port answers, before the WSGI app has loaded. With the server in
 * maintenance, clients only ever reach the hosts that are not restarting.
 *
 * Draining is a courtesy, not a gate: when a haproxy cannot be asked (stopped, no admin socket),
 * the batch goes on and haproxy's own checks protect it, as in kolla-ansible.
 */
import { parseServerState, setServerStateCommand, type ServerState } from "../engine/haproxy-admin.js";
import { allEnabled } from "../plan/render-files.js";
import type { Role } from "../roles/index.js";
import { asDeployError, hostRunner, step, type RunEnv } from "./host-ops.js";

export interface DrainTarget {
  /** the hosts whose haproxy routes to this host */
  readonly loadbalancers: readonly string[];
  /** `<frontend>_back` of every enabled frontend of the role that this host serves */
  readonly backends: readonly string[];
}

type VarsOf = (host: string) => Record<string, unknown>;

/** The one inventory question the drain asks. */
export interface GroupLookup {
  groupHosts(group: string): readonly string[];
}

/** Hosts running haproxy (the loadbalancer role's `haproxy` service), among the hosts this run may touch. */
function loadbalancersOf(allRoles: readonly Role[], lookup: GroupLookup, varsOf: VarsOf, inPlay: readonly string[]): string[] {
  const haproxy = allRoles.flatMap((r) => r.services).find((s) => s.containerName === "haproxy");
  if (haproxy === undefined) return [];
  const hosts = new Set(haproxy.groups.flatMap((g) => lookup.groupHosts(g)));
  return inPlay.filter((h) => hosts.has(h) && allEnabled(haproxy.enabled, varsOf(h)));
}

export function drainTarget(allRoles: readonly Role[], role: Role, host: string, lookup: GroupLookup, varsOf: VarsOf, inPlay: readonly string[]): DrainTarget {
  const vars = varsOf(host);
  const servesHere = (serviceKey: string) => {
    const service = role.services.find((s) => s.key === serviceKey);
    return service !== undefined && service.groups.some((g) => lookup.groupHosts(g).includes(host)) && allEnabled(service.enabled, vars);
  };
  const backends = role.haproxy.filter((f) => allEnabled(f.enabled, vars) && servesHere(f.service)).map((f) => `${f.name}_back`);
  return { loadbalancers: backends.length === 0 ? [] : loadbalancersOf(allRoles, lookup, varsOf, inPlay), backends };
}

async function setEverywhere(env: RunEnv, target: DrainTarget, host: string, state: ServerState): Promise<void> {
  const what = state === "maint" ? `haproxy: take ${host} out of ${target.backends.length} backend(s)` : `haproxy: put ${host} back into ${target.backends.length} backend(s)`;
  await Promise.all(
    target.loadbalancers.map(async (lb) => {
      try {
        await step(env, lb, what, async () => {
          const r = await hostRunner(env, lb)(setServerStateCommand(env.p.driver, host, target.backends, state));
          if (r.code !== 0) throw new Error(`${r.stderr.trim() || r.stdout.trim() || `exit code ${r.code}`}`);
          return parseServerState(r.stdout);
        });
      } catch (error) {
        env.progress.note(`${lb}: haproxy was not told (${asDeployError(error, lb).message}); its health checks take ${host} out instead`);
      }
    }),
  );
}

/** Runs fn (the host's recreate and health gate) with the host out of every haproxy in play; puts it back whatever fn did. */
export async function withDrained<T>(env: RunEnv, role: Role, host: string, fn: () => Promise<T>): Promise<T> {
  const target = drainTarget(env.p.allRoles, role, host, env.result.lookup, (h) => env.p.config.varsFor(h), env.p.hosts);
  if (target.loadbalancers.length === 0) return fn();
  await setEverywhere(env, target, host, "maint");
  try {
    return await fn();
  } finally {
    // A failed gate too: haproxy's checks decide then, as they would have without the drain.
    await setEverywhere(env, target, host, "ready");
  }
}
