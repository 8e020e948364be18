/**
 * The e2e's view from the deployment host: the real `openstack` client (Debian's
 * python3-openstackclient) run with an openrc file, a token probe straight at the keystone API
 * through the VIP, and an asynchronous CLI run (so a probe can run while the CLI works).
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, type CliResult } from "./cli.js";

/** Why the openstack client cannot run here, or undefined. */
export function openstackClientMissing(): string | undefined {
  const r = spawnSync("sh", ["-c", "command -v openstack && openstack --version"], { encoding: "utf8" });
  if (r.status !== 0) return "the openstack client is missing (apt-get install python3-openstackclient python3-osc-placement)";
  const placement = spawnSync("openstack", ["resource", "provider", "list", "--help"], { encoding: "utf8" });
  if (placement.status !== 0) return "the placement client plugin is missing (apt-get install python3-osc-placement)";
  return undefined;
}

/** `openstack ARGS` with the variables of an openrc file (sourced by bash, as an operator does). */
export function openstack(openrc: string, args: readonly string[], timeoutMs = 120_000): CliResult {
  const script = '. "$1" && shift && exec openstack "$@"';
  const r = spawnSync("bash", ["-c", script, "bash", openrc, ...args], { encoding: "utf8", timeout: timeoutMs });
  return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error ? String(r.error) : "") };
}

/** The OS_* variables an openrc file exports (values are single-quoted by post-deploy). */
export function openrcVars(openrc: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(openrc, "utf8").split("\n")) {
    const m = /^export (OS_[A-Z_]+)='(.*)'$/.exec(line);
    if (m) vars[m[1]!] = m[2]!.replaceAll(`'\\''`, "'");
  }
  return vars;
}

/**
 * One password-authenticated, project-scoped token request (POST /v3/auth/tokens); the HTTP status,
 * or 0 when it failed or took longer than timeoutMs (an operator's client would give up too).
 */
function tokenRequest(vars: Record<string, string>): string {
  return JSON.stringify({
    auth: {
      identity: { methods: ["password"], password: { user: { name: vars.OS_USERNAME, domain: { name: vars.OS_USER_DOMAIN_NAME }, password: vars.OS_PASSWORD } } },
      scope: { project: { name: vars.OS_PROJECT_NAME, domain: { name: vars.OS_PROJECT_DOMAIN_NAME } } },
    },
  });
}

export async function requestToken(vars: Record<string, string>, timeoutMs = 10_000): Promise<number> {
  try {
    const res = await fetch(`${vars.OS_AUTH_URL}/v3/auth/tokens`, {
      method: "POST", headers: { "content-type": "application/json" }, body: tokenRequest(vars), signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Keystone's token validation (GET /v3/auth/tokens): 200 while `subject` is valid, 404 once not. */
export async function validateToken(vars: Record<string, string>, auth: string, subject: string, timeoutMs = 10_000): Promise<number> {
  try {
    const res = await fetch(`${vars.OS_AUTH_URL}/v3/auth/tokens`, {
      headers: { "x-auth-token": auth, "x-subject-token": subject }, signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** GET url; the HTTP status, or 0 when nothing answered within timeoutMs. */
export async function httpStatus(url: string, timeoutMs = 10_000): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

export interface ProbeSample { readonly at: number; readonly status: number; readonly ok: boolean }

export interface Probe { stop: () => Promise<ProbeSample[]> }

/** Calls `request` every `everyMs` until stop() is called; a sample is ok when its status is `okStatus`. */
export function startProbe(request: () => Promise<number>, okStatus: number, everyMs = 500): Probe {
  const samples: ProbeSample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      const status = await request();
      samples.push({ at, status, ok: status === okStatus });
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - at))));
    }
  })();
  return { stop: async () => { running = false; await loop; return samples; } };
}

/** Requests a token every `everyMs` (201 is ok). */
export function startTokenProbe(vars: Record<string, string>, everyMs = 500): Probe {
  return startProbe(() => requestToken(vars), 201, everyMs);
}

/** A project-scoped token's id (X-Subject-Token), for probes that call other APIs. */
export async function issueToken(vars: Record<string, string>): Promise<string> {
  const res = await fetch(`${vars.OS_AUTH_URL}/v3/auth/tokens`, {
    method: "POST", headers: { "content-type": "application/json" }, body: tokenRequest(vars), signal: AbortSignal.timeout(30_000),
  });
  await res.arrayBuffer();
  const id = res.headers.get("x-subject-token");
  if (res.status !== 201 || id === null) throw new Error(`token request answered ${res.status}`);
  return id;
}

/** GET url with a token; the HTTP status, or 0 when nothing answered within timeoutMs. */
export async function authedStatus(url: string, token: string, timeoutMs = 10_000): Promise<number> {
  try {
    const res = await fetch(url, { headers: { "x-auth-token": token }, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/**
 * GET url with a token that is issued on first use and again when it is refused (401): the token
 * lifetime may be shorter than an upgrade (the e2e sets 900 s). A failed issue counts as status 0.
 */
export function tokenRefreshing(vars: Record<string, string>, url: string): () => Promise<number> {
  let token: string | undefined;
  return async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        token ??= await issueToken(vars);
      } catch {
        return 0;
      }
      const status = await authedStatus(url, token);
      if (status !== 401) return status;
      token = undefined;
    }
    return 401;
  };
}

/** The longest run of consecutive failed samples, in milliseconds (first failure to first success after it). */
export function longestOutageMs(samples: readonly ProbeSample[]): number {
  let longest = 0;
  let since: number | undefined;
  for (const s of samples) {
    if (!s.ok && since === undefined) since = s.at;
    if (s.ok && since !== undefined) { longest = Math.max(longest, s.at - since); since = undefined; }
  }
  if (since !== undefined) longest = Math.max(longest, (samples.at(-1)?.at ?? since) - since);
  return longest;
}

/** runCli without blocking the event loop (the probe must keep running while the CLI works). */
export function runCliAsync(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), join(REPO_ROOT, "src", "main.ts"), ...args], {
      cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
