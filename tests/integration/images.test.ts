/**
 * The test bed's stand-in kolla images (tests/images/build.sh) against kolla's image
 * contract: config.json is applied by kolla_set_configs, `--check` answers 0/1, the
 * stand-in serves the delivered files over HTTP, healthchecks gate, `docker stop` is fast.
 * Everything runs on a real test bed host over OpenSSH.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTestbed, testbedRequired, testbedUnavailableReason, type Testbed } from "../helpers/testbed.js";

const IMAGES_DIR = fileURLToPath(new URL("../images/", import.meta.url));
const unavailable = testbedUnavailableReason();
const CONTAINERS = ["kd-img-demo", "kd-img-once", "kd-img-healthy", "kd-img-broken", "kd-img-fallback"];
const CONFIG_DIRS = ["demo", "demo-once", "demo-health", "demo-broken", "demo-fallback", "demo-bad"].map((d) => `/etc/kolla/${d}`);

interface Shell {
  code: number;
  stdout: string;
  stderr: string;
}

let bed: Testbed;
let node: string;

/** Runs a POSIX shell script on a test bed host (script on stdin; no quoting layers). */
function onHost(script: string, host = node): Shell {
  const r = spawnSync("ssh", ["-F", bed.sshConfig, "-o", "BatchMode=yes", host, "sh", "-s"], {
    input: script,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function ok(script: string): string {
  const r = onHost(script);
  if (r.code !== 0) throw new Error(`exit ${r.code} on ${node}:\n${script}\n--- stderr:\n${r.stderr}`);
  return r.stdout;
}

function image(name: string, tag = "testbed"): string {
  return `${bed.registry}/kolla/${name}:${tag}`;
}

/** Single-quotes a value for the host's sh. */
function q(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function writeFiles(dir: string, files: Record<string, string>): void {
  const parts = Object.entries(files).map(([name, content]) => {
    const path = `${dir}/${name}`;
    return `mkdir -p "$(dirname ${q(path)})"; printf '%s' ${q(content)} > ${q(path)}`;
  });
  ok(`set -e; mkdir -p ${q(dir)}\n${parts.join("\n")}`);
}

function runContainer(name: string, configDir: string, img: string, extra = ""): void {
  ok(
    `docker rm -f ${name} >/dev/null 2>&1; docker run -d --name ${name} --net host ` +
      `--pull always -v ${configDir}:/var/lib/kolla/config_files:ro -e KOLLA_CONFIG_STRATEGY=COPY_ALWAYS ${extra} ${img} >/dev/null`,
  );
}

/** GETs a URL from inside the host, retrying while the stand-in starts. */
function fetchOnHost(url: string): string {
  return ok(`for i in $(seq 50); do curl -sf --noproxy '*' ${q(url)} && exit 0; sleep 0.1; done; exit 1`);
}

function check(container: string): Shell {
  return onHost(`docker exec ${container} kolla_set_configs --check`);
}

function healthStatus(container: string): string {
  return ok(`docker inspect -f '{{.State.Health.Status}}' ${container}`).trim();
}

/** Polls the health status until it is `want` (or time runs out); returns every status seen. */
async function waitForHealth(container: string, want: string, seconds: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < seconds * 2; i++) {
    const status = healthStatus(container);
    seen.push(status);
    if (status === want) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return seen;
}

function serviceNames(): string[] {
  return readFileSync(join(IMAGES_DIR, "services.txt"), "utf8")
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[0] ?? "")
    .filter((n) => n !== "" && !n.startsWith("#"));
}

function build(args: string[]): { code: number; refs: string[]; stderr: string } {
  const r = spawnSync("bash", [join(IMAGES_DIR, "build.sh"), "--testbed-dir", bed.dir, ...args], {
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status ?? -1, refs: r.stdout.split("\n").filter(Boolean), stderr: r.stderr };
}

const NOVA_CONF = "[DEFAULT]\ndebug = True\ntransport_url = rabbit://openstack:s3cret@node1:5672//\n";

function demoConfig(port: number): string {
  return JSON.stringify({
    command: `kolla-standin --port ${port}`,
    config_files: [
      { source: "/var/lib/kolla/config_files/nova.conf", dest: "/etc/nova/nova.conf", owner: "nova", perm: "0600" },
      { source: "/var/lib/kolla/config_files/policy/*", dest: "/etc/nova/policy/", owner: "nova:kolla", perm: "0640" },
      { source: "/var/lib/kolla/config_files/absent.conf", dest: "/etc/nova/absent.conf", owner: "nova", perm: "0600", optional: true },
    ],
    directories: [{ path: "/var/lib/nova/instances", owner: "root", perm: "0755" }],
    files: [{ path: "/var/lib/nova/instances/state", owner: "root", perm: "0644" }],
    permissions: [{ path: "/var/lib/nova", owner: "kdnewuser:kolla", perm: "0750", recurse: true }],
  });
}

describe.skipIf(unavailable !== undefined && !testbedRequired())("test-bed images (tests/images)", () => {
  beforeAll(() => {
    if (unavailable) throw new Error(`test bed required but unavailable: ${unavailable}`);
    bed = loadTestbed();
    node = bed.hosts[0]!.name;
    const r = build([]);
    expect(r.code, r.stderr).toBe(0);
  }, 180_000);

  afterAll(() => {
    if (!bed) return;
    onHost(`docker rm -f ${CONTAINERS.join(" ")} >/dev/null 2>&1; rm -rf ${CONFIG_DIRS.join(" ")}`);
  });

  it("pushes every kolla image name with the testbed and broken tags", () => {
    const names = serviceNames();
    expect(names).toHaveLength(35);
    const lines = ok(
      names.map((n) => `curl -sf --noproxy '*' http://${bed.registry}/v2/kolla/${n}/tags/list; echo`).join("\n"),
    );
    const tags = lines
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { name: string; tags: string[] });
    expect(tags.map((t) => t.name)).toEqual(names.map((n) => `kolla/${n}`));
    for (const t of tags) expect(t.tags).toEqual(expect.arrayContaining(["testbed", "broken"]));
  });

  it("delivers config.json's files into the container and serves them over HTTP", () => {
    writeFiles("/etc/kolla/demo", {
      "config.json": demoConfig(18774),
      "nova.conf": NOVA_CONF,
      "policy/a.yaml": "a: 1\n",
      "policy/b.yaml": "b: 2\n",
    });
    runContainer("kd-img-demo", "/etc/kolla/demo", image("nova-api"));
    expect(fetchOnHost("http://127.0.0.1:18774/etc/nova/nova.conf")).toBe(NOVA_CONF);
    expect(fetchOnHost("http://127.0.0.1:18774/etc/nova/policy/b.yaml")).toBe("b: 2\n");
    expect(ok("docker exec kd-img-demo cat /run_command")).toBe("kolla-standin --port 18774");
    expect(fetchOnHost("http://127.0.0.1:18774/")).toContain("image: nova-api");
  });

  it("applies owner and perm, creates directories and files, applies recursive permissions", () => {
    const stat = (p: string) => ok(`docker exec kd-img-demo stat -c '%a %U %G' ${p}`).trim();
    expect(stat("/etc/nova/nova.conf")).toBe("600 nova nova");
    expect(stat("/etc/nova/policy/a.yaml")).toBe("640 nova kolla");
    expect(stat("/var/lib/nova/instances")).toBe("750 kdnewuser kolla");
    expect(stat("/var/lib/nova/instances/state")).toBe("750 kdnewuser kolla");
    expect(onHost("docker exec kd-img-demo test -e /etc/nova/absent.conf").code).toBe(1);
  });

  it("--check answers 0 in sync, 1 after the source changes, 0 after a restart recopies", () => {
    expect(check("kd-img-demo").code).toBe(0);
    ok("echo 'debug = False' >> /etc/kolla/demo/nova.conf");
    const differs = check("kd-img-demo");
    expect(differs.code).toBe(1);
    expect(differs.stdout).toContain("/etc/nova/nova.conf");
    ok("docker exec kd-img-demo chmod 0644 /etc/nova/policy/a.yaml");
    expect(check("kd-img-demo").stdout).toContain("/etc/nova/policy/a.yaml");
    ok("docker restart kd-img-demo >/dev/null");
    expect(check("kd-img-demo").code).toBe(0);
    expect(fetchOnHost("http://127.0.0.1:18774/etc/nova/nova.conf")).toBe(`${NOVA_CONF}debug = False\n`);
  });

  it("--check reports a command that differs from /run_command", () => {
    ok(`sed -i 's/--port 18774/--port 18770/' /etc/kolla/demo/config.json`);
    const r = check("kd-img-demo");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("/run_command");
    ok(`sed -i 's/--port 18770/--port 18774/' /etc/kolla/demo/config.json`);
    expect(check("kd-img-demo").code).toBe(0);
  });

  it("stops within 3 s on docker stop (SIGTERM handled)", () => {
    const ms = Number(ok("s=$(date +%s%N); docker stop kd-img-demo >/dev/null; e=$(date +%s%N); echo $(((e - s) / 1000000))"));
    expect(ms).toBeLessThan(3000);
    expect(ok("docker logs kd-img-demo 2>&1")).toContain("SIGTERM");
  });

  it("COPY_ONCE copies on the first start only", () => {
    writeFiles("/etc/kolla/demo-once", { "config.json": demoConfig(18775), "nova.conf": NOVA_CONF, "policy/a.yaml": "a\n" });
    ok("sed -i 's/18774/18775/' /etc/kolla/demo-once/config.json");
    runContainer("kd-img-once", "/etc/kolla/demo-once", image("nova-api"), "-e KOLLA_CONFIG_STRATEGY=COPY_ONCE");
    expect(fetchOnHost("http://127.0.0.1:18775/etc/nova/nova.conf")).toBe(NOVA_CONF);
    ok("echo changed > /etc/kolla/demo-once/nova.conf; docker restart kd-img-once >/dev/null");
    expect(fetchOnHost("http://127.0.0.1:18775/etc/nova/nova.conf")).toBe(NOVA_CONF);
    expect(check("kd-img-once").code).toBe(1);
    expect(ok("docker logs kd-img-once 2>&1")).toContain("ImmutableConfig");
  });

  it("runs the bootstrap hook and exits 0 when KOLLA_BOOTSTRAP is set", () => {
    const r = onHost(
      `docker run --rm --pull always --net host -v /etc/kolla/demo:/var/lib/kolla/config_files:ro ` +
        `-e KOLLA_CONFIG_STRATEGY=COPY_ALWAYS -e KOLLA_BOOTSTRAP= ${image("glance-api")}`,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("KOLLA_BOOTSTRAP");
  });

  it("fails to start on an invalid config.json or a missing required source", () => {
    writeFiles("/etc/kolla/demo-bad", { "config.json": '{"command": "x", "config_files": [' });
    const run = `docker run --rm --pull always -v /etc/kolla/demo-bad:/var/lib/kolla/config_files:ro -e KOLLA_CONFIG_STRATEGY=COPY_ALWAYS ${image("cron")}`;
    const bad = onHost(run);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("InvalidConfig");
    writeFiles("/etc/kolla/demo-bad", { "config.json": demoConfig(18779) });
    const missing = onHost(run);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("MissingRequiredSource");
  });

  it("stands in for a service command that is not in the image", () => {
    writeFiles("/etc/kolla/demo-fallback", {
      "config.json": JSON.stringify({ command: "nova-api --config-file /etc/nova/nova.conf", config_files: [] }),
    });
    runContainer("kd-img-fallback", "/etc/kolla/demo-fallback", image("nova-api"), "-e KOLLA_STANDIN_PORT=18778");
    expect(fetchOnHost("http://127.0.0.1:18778/")).toContain("standing in for: nova-api --config-file /etc/nova/nova.conf");
  });

  it("answers docker exec of kolla's one-shot tools and survives SIGHUP", () => {
    const tool = onHost("docker exec kd-img-fallback nova-manage cell_v2 discover_hosts --by-service");
    expect(tool.code).toBe(0);
    expect(tool.stdout).toContain("nova-manage (3 args)");
    expect(ok("docker exec kd-img-fallback cat /var/lib/kolla-standin/tool-calls.log")).toBe(
      "nova-manage cell_v2 discover_hosts --by-service\n",
    );
    ok("docker exec kd-img-fallback kill -HUP 1; sleep 0.3; docker exec kd-img-fallback kill -HUP 1; sleep 0.3");
    expect(ok("docker inspect -f '{{.State.Running}} {{.RestartCount}}' kd-img-fallback").trim()).toBe("true 0");
    expect(fetchOnHost("http://127.0.0.1:18778/")).toContain("image: nova-api");
    expect(ok("docker logs kd-img-fallback 2>&1")).toContain("SIGHUP, nothing to reload");
  });

  it("turns healthy with kolla's healthcheck scripts; the broken tag never does", async () => {
    writeFiles("/etc/kolla/demo-health", { "config.json": JSON.stringify({ command: "kolla-standin --port 18776" }) });
    const health = "--health-interval 1s --health-timeout 3s --health-retries 2";
    runContainer("kd-img-healthy", "/etc/kolla/demo-health", image("keystone"),
      `--health-cmd 'healthcheck_curl http://127.0.0.1:18776/' ${health}`);
    writeFiles("/etc/kolla/demo-broken", { "config.json": JSON.stringify({ command: "kolla-standin --port 18777" }) });
    runContainer("kd-img-broken", "/etc/kolla/demo-broken", image("keystone", "broken"),
      `--health-cmd 'healthcheck_port keystone 5000' ${health}`);
    expect((await waitForHealth("kd-img-healthy", "healthy", 20)).at(-1)).toBe("healthy");
    for (const cmd of ["healthcheck_port keystone 5672", "healthcheck_listen keystone 18776", "/usr/bin/clustercheck"]) {
      expect(onHost(`docker exec kd-img-healthy ${cmd}`).code).toBe(0);
    }
    const seen = await waitForHealth("kd-img-broken", "unhealthy", 20);
    expect(seen.at(-1)).toBe("unhealthy");
    expect(seen).not.toContain("healthy");
    expect(onHost("docker exec kd-img-broken healthcheck_curl http://127.0.0.1:18776/").code).toBe(1);
  }, 60_000);

  it("pushes another tag on demand as a distinct image over the same layer", () => {
    const r = build(["--tag", "kd-upgrade-test", "--no-broken", "--only", "nova-api"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.refs).toEqual([image("nova-api", "kd-upgrade-test")]);
    const ids = ok(
      `for t in testbed kd-upgrade-test; do docker pull -q ${bed.registry}/kolla/nova-api:$t >/dev/null; ` +
        `docker image inspect -f '{{.Id}} {{index .RootFS.Layers 0}}' ${bed.registry}/kolla/nova-api:$t; done`,
    ).trim().split("\n").map((l) => l.split(" "));
    expect(ids[0]![0]).not.toBe(ids[1]![0]);
    expect(ids[0]![1]).toBe(ids[1]![1]);
  });
});
