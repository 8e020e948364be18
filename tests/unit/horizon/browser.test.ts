/**
 * tests/helpers/horizon-browser.ts against a stand-in for horizon on 127.0.0.1 (node:http): it
 * serves only the markup the helper relies on (horizon 23's login form, a session cookie, the
 * instances table with a "Status" column), so the real Chromium logs in, waits for a server's
 * status to turn Active and writes a PNG. A second server on another loopback address is linked
 * from the page and must see no request (the browser refuses other hosts).
 */
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertAllowedTarget, chromiumMissing, horizonShowsServer } from "../../helpers/horizon-browser.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Stand {
  /** the instances page shows the server as Build this many times before Active */
  buildLoads: number;
  /** render the domain field (OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = True) */
  multidomain: boolean;
}

class FakeHorizon {
  readonly stand: Stand = { buildLoads: 0, multidomain: true };
  readonly logins: Record<string, string>[] = [];
  instanceLoads = 0;
  private readonly sessions = new Set<string>();
  private server: Server | undefined;
  url = "";

  constructor(private readonly elsewhere: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    this.url = `http://127.0.0.1:${address.port}/`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  private session(req: IncomingMessage): boolean {
    const id = /(?:^|;\s*)sessionid=([0-9a-z]+)/.exec(req.headers.cookie ?? "")?.[1];
    return id !== undefined && this.sessions.has(id);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const page = (status: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8", ...headers });
      res.end(body);
    };
    const redirect = (to: string, headers: Record<string, string> = {}): void => {
      res.writeHead(302, { location: to, ...headers });
      res.end();
    };
    if (url.pathname === "/auth/login/" && req.method === "POST") {
      let body = "";
      for await (const chunk of req) body += String(chunk);
      const form = Object.fromEntries(new URLSearchParams(body));
      this.logins.push(form);
      const domainOk = !this.stand.multidomain || form["domain"] === "Default";
      if (form["csrfmiddlewaretoken"] === "tok" && form["username"] === "admin" && form["password"] === "s3cret" && domainOk) {
        const id = Math.random().toString(36).slice(2);
        this.sessions.add(id);
        redirect(form["next"] ?? "/", { "set-cookie": `sessionid=${id}; HttpOnly; Path=/` });
      } else {
        page(200, this.login(form["next"], "Invalid credentials given."));
      }
      return;
    }
    if (url.pathname === "/auth/login/") return page(200, this.login(url.searchParams.get("next") ?? undefined));
    if (!this.session(req)) return redirect(`/auth/login/?next=${encodeURIComponent(url.pathname)}`);
    if (url.pathname === "/") return redirect("/project/");
    if (url.pathname === "/project/") return page(200, `<html><body><h1>Overview</h1><img src="${this.elsewhere}"></body></html>`);
    if (url.pathname === "/project/instances/") return page(200, this.instances(++this.instanceLoads > this.stand.buildLoads));
    return page(404, "<h1>Not Found</h1>");
  }

  /** horizon/templates/auth/_login_form.html, reduced. */
  private login(next: string | undefined, error?: string): string {
    const domain = this.stand.multidomain
      ? `<div class="form-group"><label for="id_domain">Domain</label><input type="text" name="domain" id="id_domain" class="form-control"></div>`
      : "";
    return `<!DOCTYPE html><html><head><title>Login - OpenStack Dashboard</title></head><body>
<form method="POST" action="/auth/login/" autocomplete="off">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <div class="panel panel-default"><div class="panel-heading"><h3 class="login-title">Log in</h3></div>
  <div class="panel-body">
    <div class="fake_credentials" style="display: none"><input type="text" name="fake_email" value=""><input type="password" name="fake_password" value=""></div>
    <fieldset>
      ${next === undefined ? "" : `<input type="hidden" name="next" value="${next}">`}
      ${error === undefined ? "" : `<div class="alert alert-danger alert-dismissable fade in"><p>${error}</p></div>`}
      ${domain}
      <div class="form-group"><label for="id_username">User Name</label><input type="text" name="username" id="id_username" class="form-control"></div>
      <div class="form-group"><label for="id_password">Password</label><input type="password" name="password" id="id_password" class="form-control"></div>
    </fieldset>
  </div>
  <div class="panel-footer"><button id="loginBtn" type="submit" class="btn btn-primary pull-right"><span>Sign In</span></button></div>
  </div>
</form></body></html>`;
  }

  /** The instances table (horizon/common/_data_table.html): caption row, column headers, rows. */
  private instances(active: boolean): string {
    const heads = ["", "Instance Name", "Image Name", "IP Address", "Flavor", "Key Pair", "Status", "Availability Zone", "Task", "Power State", "Age", "Actions"];
    const row = (id: string, name: string, status: string, statusClass: string, task: string, power: string): string =>
      `<tr data-display="${name}" data-display-key="name" data-object-id="${id}" id="instances__row__${id}" class="${statusClass === "status_up" ? "" : "ajax-update "}${statusClass}">` +
      `<td class="multi_select_column"><input type="checkbox" class="table-row-multi-select"></td>` +
      `<td class="sortable anchor normal_column"><a href="/project/instances/${id}/">${name}</a></td>` +
      `<td class="sortable normal_column">cirros</td><td class="sortable normal_column">10.0.0.5</td><td class="sortable normal_column">m1.tiny</td>` +
      `<td class="sortable normal_column">-</td><td class="${statusClass} sortable normal_column">${status}</td><td class="sortable normal_column">nova</td>` +
      `<td class="${statusClass} sortable normal_column">${task}</td><td class="sortable normal_column">${power}</td><td class="sortable normal_column">1 minute</td>` +
      `<td class="actions_column"><a class="btn btn-default btn-sm">Create Snapshot</a></td></tr>`;
    return `<!DOCTYPE html><html><head><title>Instances - OpenStack Dashboard</title></head><body>
<div class="table_wrapper"><form id="instances" method="POST"><table id="instances" class="table table-bordered table-striped datatable">
<thead><tr class="table_caption"><th class="table_header" colspan="${heads.length}"><div class="table_actions">Launch Instance</div></th></tr>
<tr class="table_column_header">${heads.map((h) => `<th class="sortable normal_column">${h}</th>`).join("")}</tr></thead>
<tbody>
${row("a1", "broken-vm", "Error", "status_down", "None", "No State")}
${active ? row("b2", "e2e-vm", "Active", "status_up", "None", "Running") : row("b2", "e2e-vm", "Build", "warning", "Spawning", "No State")}
</tbody></table></form></div></body></html>`;
  }
}

describe("assertAllowedTarget", () => {
  it("takes loopback addresses and refuses other ranges and names before any traffic", () => {
    expect(assertAllowedTarget("http://127.0.0.1:8080/")).toBe("127.0.0.1");
    expect(assertAllowedTarget("http://localhost/")).toBe("127.0.0.1");
    expect(() => assertAllowedTarget("http://10.0.0.1/")).toThrow(/outside 127\.0\.0\.0\/8 and 198\.18\.0\.0\/15/);
    expect(() => assertAllowedTarget("http://198.20.0.1/")).toThrow(/outside/);
    expect(() => assertAllowedTarget("http://horizon.example.com/")).toThrow(/IPv4 address .*\(no name lookups\)/);
    expect(() => assertAllowedTarget("ftp://127.0.0.1/")).toThrow(/only http/);
  });

  it("horizonShowsServer throws for a refused URL or a missing browser, before starting one", async () => {
    const base = { user: "admin", password: "x", server: "vm", screenshot: join(tmpdir(), "never.png") };
    await expect(horizonShowsServer({ ...base, url: "http://192.0.2.1/" })).rejects.toThrow(/refusing http:\/\/192\.0\.2\.1\/: 192\.0\.2\.1 is outside/);
    await expect(horizonShowsServer({ ...base, url: "http://127.0.0.1:9/", chromium: "/nonexistent/chromium" })).rejects.toThrow(/\/nonexistent\/chromium is missing/);
  });

  it("refuses a 198.18/15 address reached through a gateway, or not at all", () => {
    // Whatever this machine's routes are, the answer is an address or a refusal naming the route.
    try {
      expect(assertAllowedTarget("http://198.19.255.254/")).toBe("198.19.255.254");
    } catch (error) {
      expect((error as Error).message).toMatch(/refusing http:\/\/198\.19\.255\.254\/: (no route|198\.19\.255\.254 does not route to a directly attached link)/);
    }
  });
});

const missing = chromiumMissing();
if (missing !== undefined) console.warn(`horizon browser tests skipped: ${missing}`);

// One check at a time: each starts its own Chromium (about 3 s on 2 busy cores); several at once
// were slower in all than one after another. Each check has its own stand-in.
describe.skipIf(missing !== undefined)(`horizonShowsServer with Chromium${missing === undefined ? "" : ` (skipped: ${missing})`}`, () => {
  let elsewhereHits = 0;
  const elsewhere = createServer((_req, res) => {
    elsewhereHits++;
    res.end();
  });
  let elsewhereUrl = "";
  let dir: string;
  const profiles = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith("horizon-browser-"));
  let profilesBefore: string[];

  async function withHorizon<T>(stand: Partial<Stand>, fn: (horizon: FakeHorizon) => Promise<T>): Promise<T> {
    const horizon = new FakeHorizon(elsewhereUrl);
    Object.assign(horizon.stand, stand);
    await horizon.start();
    try {
      return await fn(horizon);
    } finally {
      await horizon.stop();
    }
  }

  beforeAll(async () => {
    elsewhere.listen(0, "127.0.0.2");
    await once(elsewhere, "listening");
    elsewhereUrl = `http://127.0.0.2:${(elsewhere.address() as { port: number }).port}/logo.png`;
    dir = mkdtempSync(join(tmpdir(), "horizon-shot-"));
    profilesBefore = profiles();
  });

  afterAll(async () => {
    elsewhere.closeAllConnections();
    await new Promise((r) => elsewhere.close(r));
    rmSync(dir, { recursive: true, force: true });
    // The pages linked to 127.0.0.2, which the browser refused; every profile was removed.
    expect(elsewhereHits).toBe(0);
    expect(profiles().filter((p) => !profilesBefore.includes(p))).toEqual([]);
  });

  it("logs in with the domain, waits while the server builds, finds it Active and writes a PNG", async () => {
    await withHorizon({ buildLoads: 1, multidomain: true }, async (horizon) => {
      const shot = join(dir, "sub", "instances.png");
      const t0 = Date.now();
      const result = await horizonShowsServer({ url: horizon.url, user: "admin", password: "s3cret", domain: "Default", server: "e2e-vm", screenshot: shot, timeoutMs: 60_000, reloadEveryMs: 1_000 });
      const ms = Date.now() - t0;
      expect(result, result.detail).toMatchObject({ ok: true, status: "Active" });
      expect(result.detail).toMatch(/cell class "status_up sortable normal_column"/);
      expect(result.detail).toMatch(/2 load\(s\)/);
      expect(horizon.instanceLoads).toBe(2);
      expect(horizon.logins).toEqual([expect.objectContaining({ username: "admin", password: "s3cret", domain: "Default", csrfmiddlewaretoken: "tok", next: "/" })]);
      const png = readFileSync(shot);
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(png.length).toBeGreaterThan(1000);
      console.log(`horizon browser check: ${ms} ms, ${png.length}-byte PNG: ${result.detail}`);
    });
  }, 90_000);

  it("says why when the login is refused, without waiting for the deadline", async () => {
    await withHorizon({ multidomain: false }, async (horizon) => {
      const shot = join(dir, "refused.png");
      const t0 = Date.now();
      const result = await horizonShowsServer({ url: horizon.url, user: "admin", password: "wrong", server: "e2e-vm", screenshot: shot, timeoutMs: 60_000 });
      expect(result).toEqual({ ok: false, detail: "login refused: Invalid credentials given." });
      expect(Date.now() - t0).toBeLessThan(45_000);
      expect(horizon.instanceLoads).toBe(0);
      expect(readFileSync(shot).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    });
  }, 90_000);

  it("reports the rows it saw when the server is not listed, at the deadline", async () => {
    await withHorizon({ multidomain: false }, async (horizon) => {
      const t0 = Date.now();
      const result = await horizonShowsServer({ url: horizon.url, user: "admin", password: "s3cret", server: "no-such-vm", screenshot: join(dir, "missing.png"), timeoutMs: 30_000, reloadEveryMs: 1_500 });
      expect(result.ok).toBe(false);
      expect(result.status).toBeUndefined();
      expect(result.detail).toMatch(/^no row for "no-such-vm" on http:\/\/127\.0\.0\.1:\d+\/project\/instances\/ after \d+ load\(s\), .* \(rows: \["broken-vm","e2e-vm"\]\)$/);
      expect(horizon.instanceLoads).toBeGreaterThanOrEqual(1);
      // The deadline holds the browser's start too: 8 s failed at load 20 when Chromium alone took 8 s.
      expect(Date.now() - t0).toBeLessThan(60_000);
    });
  }, 120_000);
});
