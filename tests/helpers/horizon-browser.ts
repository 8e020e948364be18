/**
 * A headless-Chromium look at horizon, as a person would check it: log in on the login form, open
 * the instances page and read a server's status from its row; a screenshot of the last page seen is
 * written either way.
 *
 * Chromium is Debian's (/usr/bin/chromium, installed by bin/setup), driven by playwright-core, with
 * a fresh profile in a temporary directory that is removed afterwards. The network rule holds: the
 * URL's host must be an IPv4 address in 127.0.0.0/8 or 198.18.0.0/15 that the kernel routes directly
 * (no gateway), and every request of the page to another host is aborted in the browser.
 *
 * What is relied on in horizon's pages (Zed, openstack-dashboard 23): the login form's fields
 * `id_username`, `id_password` and, with multidomain support, `id_domain`, its submit button
 * `#loginBtn`, errors in `.alert-danger`; on the instances page, rows `tr[data-display="<name>"]`
 * whose status cell is the column headed "Status" (class `status_up` when active, `warning` while
 * building). tests/unit/horizon/browser.test.ts serves exactly that markup.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { isIPv4 } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** The flags every launch adds to playwright's own (it adds --remote-debugging-pipe and the profile). */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface HorizonCheck {
  /** horizon's root through the VIP, e.g. http://198.18.0.250/ (WEBROOT '/'; a path is kept as the webroot) */
  url: string;
  user: string;
  password: string;
  /** filled in when the login form has a domain field (OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT); default "Default" */
  domain?: string;
  /** the server's name, as the instances table shows it */
  server: string;
  /** where the PNG of the last page seen is written (its directory is created) */
  screenshot: string;
  /** the whole check's deadline, browser start included; default 180 s (a loaded machine is slow) */
  timeoutMs?: number;
  /** how long to wait on one instances page for the status to become Active before reloading it; default 15 s */
  reloadEveryMs?: number;
  /** the browser; default /usr/bin/chromium */
  chromium?: string;
}

export interface HorizonResult {
  /** the row was found with status "Active" */
  ok: boolean;
  /** the row's status text when the row was found (e.g. "Active", "Build", "Error") */
  status?: string;
  /** one line on what was seen: the status cell's class, or why it failed */
  detail: string;
}

/** Why the browser check cannot run here, or undefined when it can. */
export function chromiumMissing(path = CHROMIUM): string | undefined {
  return existsSync(path) ? undefined : `${path} is missing (apt-get install -y --no-install-recommends chromium, or bin/setup)`;
}

function inAllowedRange(ip: string): boolean {
  const [a, b] = ip.split(".").map(Number) as [number, number];
  return a === 127 || (a === 198 && (b === 18 || b === 19));
}

/**
 * Refuses a URL whose traffic could leave the test bed: its host must be an IPv4 literal (no DNS
 * lookup is made) in 127.0.0.0/8 or 198.18.0.0/15, and the kernel's route to it must be local or
 * on a directly attached link, not through a gateway. Returns the address.
 */
export function assertAllowedTarget(url: string): string {
  const u = new URL(url);
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error(`refusing ${url}: only http and https`);
  const host = u.hostname === "localhost" ? "127.0.0.1" : u.hostname;
  if (!isIPv4(host)) throw new Error(`refusing ${url}: the host must be an IPv4 address in 127.0.0.0/8 or 198.18.0.0/15 (no name lookups)`);
  if (!inAllowedRange(host)) throw new Error(`refusing ${url}: ${host} is outside 127.0.0.0/8 and 198.18.0.0/15`);
  if (host.startsWith("127.")) return host;
  let route: string;
  try {
    route = execFileSync("ip", ["-o", "route", "get", host], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch (error) {
    throw new Error(`refusing ${url}: no route to ${host} (${(error as Error).message.split("\n")[0]})`);
  }
  if (/ via /.test(` ${route} `) || /^(unreachable|prohibit|blackhole)\b/.test(route)) {
    throw new Error(`refusing ${url}: ${host} does not route to a directly attached link (${route})`);
  }
  return host;
}

/** Runs in the page: the server's row and its status cell (the column headed "Status"). */
const READ_ROW = `(name) => {
  const rows = Array.from(document.querySelectorAll("tr[data-display]"));
  const row = rows.find((r) => r.getAttribute("data-display") === name);
  const table = document.querySelector("table#instances") || (row && row.closest("table"));
  if (!row) return { table: !!table, found: false, names: rows.map((r) => r.getAttribute("data-display")) };
  const cells = Array.from(row.children);
  const text = (e) => (e.textContent || "").replace(/\\s+/g, " ").trim();
  let cell;
  for (const tr of Array.from(row.closest("table").querySelectorAll("thead tr"))) {
    const heads = Array.from(tr.children);
    if (heads.length !== cells.length) continue;
    const i = heads.findIndex((th) => text(th) === "Status");
    if (i >= 0) { cell = cells[i]; break; }
  }
  if (!cell) cell = cells.find((c) => /(^|\\s)(status_up|status_down|warning)(\\s|$)/.test(c.className) && text(c) !== "None");
  return { table: true, found: true, status: cell ? text(cell) : undefined, cellClass: cell ? cell.className.trim() : undefined,
           rowClass: row.className.trim() };
}`;

interface RowState {
  table: boolean;
  found: boolean;
  names?: string[];
  status?: string;
  cellClass?: string;
  rowClass?: string;
}

/** Statuses that will not turn into Active by waiting (the row of an instance that failed). */
const FINAL = new Set(["Error", "Shutoff", "Deleted", "Suspended", "Paused", "Shelved Offloaded"]);

function isLoginPage(url: string): boolean {
  return /\/auth\/login\/?$/.test(new URL(url).pathname);
}

async function alerts(page: Page): Promise<string> {
  const texts = await page.locator(".alert-danger").allInnerTexts().catch(() => []);
  return texts.map((t) => t.replace(/\s+/g, " ").trim()).filter((t) => t !== "").join(" | ");
}

/**
 * Logs in to horizon at `opts.url`, opens the instances page and waits (reloading now and then)
 * until `opts.server`'s row shows status "Active", a final status, or the deadline. Never throws for
 * what it sees in horizon: that is `{ok: false, detail}`. Throws for a refused URL or a missing
 * Chromium, before any traffic.
 */
export async function horizonShowsServer(opts: HorizonCheck): Promise<HorizonResult> {
  const started = Date.now();
  const deadline = started + (opts.timeoutMs ?? 180_000);
  const left = (): number => Math.max(1, deadline - Date.now());
  const base = new URL(opts.url);
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  assertAllowedTarget(base.href);
  const executable = opts.chromium ?? CHROMIUM;
  const missing = chromiumMissing(executable);
  if (missing !== undefined) throw new Error(missing);

  const profile = mkdtempSync(join(tmpdir(), "horizon-browser-"));
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let result: HorizonResult;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: executable,
      headless: true,
      args: [...CHROMIUM_ARGS],
      timeout: left(),
      viewport: { width: 1280, height: 900 },
      serviceWorkers: "block",
    });
    // Nothing but horizon's own host and port: a page asking for anything else is refused in the browser.
    await context.route(
      (u) => u.protocol !== "data:" && u.protocol !== "blob:" && u.host !== base.host,
      (route) => route.abort("blockedbyclient"),
    );
    page = context.pages()[0] ?? (await context.newPage());
    result = await check(page, base, opts, left, started);
  } catch (error) {
    result = { ok: false, detail: `browser: ${(error as Error).message.split("\n")[0]} (after ${Date.now() - started} ms, at ${page?.url() ?? "start"})` };
  } finally {
    if (page === undefined) {
      result = { ...result!, detail: `${result!.detail}; no screenshot: the browser never showed a page` };
    } else {
      try {
        mkdirSync(dirname(opts.screenshot), { recursive: true });
        await page.screenshot({ path: opts.screenshot, fullPage: true, timeout: 30_000 });
      } catch (error) {
        // The screenshot is evidence, not the verdict: say so in the result below.
        result = { ...result!, detail: `${result!.detail}; no screenshot: ${(error as Error).message.split("\n")[0]}` };
      }
    }
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
  return result!;
}

/** Waits until the page holds a loaded document other than the marked one (navigations may destroy the waiter's context: it is started again). */
async function newDocument(page: Page, left: () => number): Promise<void> {
  for (;;) {
    try {
      await page.waitForFunction("!window.__horizonCheckForm && document.readyState !== 'loading'", undefined, { timeout: left(), polling: 250 });
      return;
    } catch (error) {
      if (!/context was destroyed|navigat/i.test((error as Error).message) || left() <= 1) throw error;
    }
  }
}

async function check(page: Page, base: URL, opts: HorizonCheck, left: () => number, started: number): Promise<HorizonResult> {
  const elapsed = (): string => `${Math.round((Date.now() - started) / 100) / 10} s`;

  // Login: horizon redirects the root to its login form.
  await page.goto(base.href, { waitUntil: "domcontentloaded", timeout: left() });
  const username = page.locator("#id_username");
  await username.waitFor({ state: "visible", timeout: left() });
  await username.fill(opts.user, { timeout: left() });
  await page.locator("#id_password").fill(opts.password, { timeout: left() });
  const domain = page.locator("#id_domain");
  if ((await domain.count()) > 0 && (await domain.isVisible())) {
    const tag = await domain.evaluate((e) => (e as unknown as { tagName: string }).tagName.toLowerCase());
    if (tag === "select") await domain.selectOption({ label: opts.domain ?? "Default" }, { timeout: left() });
    else await domain.fill(opts.domain ?? "Default", { timeout: left() });
  }
  // The answer to the form is a new document (the window's mark is gone), whether horizon redirects
  // (logged in) or renders the form again with an error; an in-page hash change keeps the mark.
  await page.evaluate("window.__horizonCheckForm = true");
  await page.locator("#loginBtn").click({ timeout: left() });
  await newDocument(page, left);
  if (isLoginPage(page.url())) {
    const error = await alerts(page);
    return {
      ok: false,
      detail: error !== ""
        ? `login refused: ${error}`
        : `login did not stick: back on ${page.url()} with no error shown (a session not kept between requests: CACHES/SESSION_ENGINE?)`,
    };
  }
  const home = page.url();

  // The instances page, reloaded until the row is Active or the deadline passes; horizon itself
  // refreshes rows in a transitional state (ajax-update), so each load is also watched.
  const instances = new URL("project/instances/", base).href;
  const reloadEvery = opts.reloadEveryMs ?? 15_000;
  let last: RowState = { table: false, found: false };
  let loads = 0;
  for (;;) {
    await page.goto(instances, { waitUntil: "domcontentloaded", timeout: left() });
    loads++;
    if (isLoginPage(page.url())) {
      return { ok: false, detail: `logged in (landed on ${home}) but ${instances} sent back to the login page: the session was lost` };
    }
    const done = `(${READ_ROW})(${JSON.stringify(opts.server)})`;
    const waitMs = Math.min(left(), reloadEvery);
    const settled = await page
      .waitForFunction(
        `(() => { const s = ${done}; return s.found && (s.status === "Active" || ${JSON.stringify([...FINAL])}.includes(s.status)); })()`,
        undefined,
        { timeout: waitMs, polling: 500 },
      )
      .then(() => true, () => false);
    last = (await page.evaluate(done)) as RowState;
    // A reload needs time to answer: with little left, what this load shows is the answer.
    if (settled || left() < Math.min(5_000, reloadEvery)) break;
  }
  if (!last.found) {
    const seen = last.table ? `rows: ${JSON.stringify(last.names ?? [])}` : "no instances table";
    return { ok: false, detail: `no row for "${opts.server}" on ${instances} after ${loads} load(s), ${elapsed()} (${seen})` };
  }
  const where = `cell class "${last.cellClass ?? ""}", row class "${last.rowClass ?? ""}"`;
  if (last.status === "Active") {
    return { ok: true, status: last.status, detail: `"${opts.server}" is Active on ${instances} (${where}; ${loads} load(s), ${elapsed()})` };
  }
  return { ok: false, status: last.status, detail: `"${opts.server}" shows status "${last.status ?? "(no status cell)"}", not Active (${where}; ${loads} load(s), ${elapsed()})` };
}

