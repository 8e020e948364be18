/** The one-exec gather: its command, its parsers, and the HostState it builds from a framed answer. */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { driverFor } from "../../../src/engine/driver.js";
import type { Command, CommandResult } from "../../../src/exec/types.js";
import { gatherQuery } from "../../../src/apply/gather-query.js";
import { DIR_STATE_SCRIPT, parseDirState, parseFacts, parseImages } from "../../../src/plan/gather.js";
import { emptyRecord, serializeRecord, STATE_FILE } from "../../../src/plan/record.js";
import { REPO_ROOT } from "../../helpers/cli.js";

const docker = driverFor("docker");
const HASH_A = "a".repeat(64);
const HASH_B = "b".repeat(64);

/** Answers a composed query the way the host's sh would: each part framed by the command's own markers. */
function framed(cmd: Command, parts: readonly CommandResult[]): CommandResult {
  const marker = /__kolla_deploy_[0-9a-f]+__/.exec(cmd.argv[2]!)![0];
  const frame = (pick: (r: CommandResult) => string) =>
    parts.map((r, i) => `${marker} begin ${i}\n${pick(r)}\n${marker} end ${i} ${r.code}\n`).join("");
  return { code: 0, stdout: frame((r) => r.stdout), stderr: frame((r) => r.stderr) };
}

const ok = (stdout: string): CommandResult => ({ code: 0, stdout, stderr: "" });
const failed = (code: number, stderr: string): CommandResult => ({ code, stdout: "", stderr });

describe("parseFacts", () => {
  it("reads the hostname and the first IPv4 address of each interface", () => {
    const out = [
      "node1",
      "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever",
      "2: eth0    inet 198.18.0.11/24 brd 198.18.0.255 scope global eth0\\       valid_lft forever",
      "2: eth0    inet 198.18.0.99/24 scope global secondary eth0",
      "3: br-ex    inet 10.0.0.1/24 scope global br-ex",
      "",
    ].join("\n");
    expect(parseFacts(out)).toEqual({ hostname: "node1", ipv4: { lo: "127.0.0.1", eth0: "198.18.0.11", "br-ex": "10.0.0.1" } });
  });

  it("copes with a host without ip(8)", () => {
    expect(parseFacts("node2\n")).toEqual({ hostname: "node2", ipv4: {} });
  });
});

describe("parseDirState", () => {
  const dirs = ["/etc/kolla/nova-api", "/etc/kolla/keystone"];

  it("joins each file's stat line with its sha256sum line, names with spaces included; ignores noise", () => {
    const out = [
      "kd-st 660 root root /etc/kolla/nova-api/nova.conf",
      "kd-st 600 keystone kolla /etc/kolla/keystone/fernet key 0",
      "kd-st 600 root root /etc/kolla/other/beyond-the-list",
      "kd-st 660 root root /etc/kolla/nova-api/no-sum",
      `${HASH_B}  /etc/kolla/keystone/fernet key 0`,
      `${HASH_A}  /etc/kolla/nova-api/nova.conf`,
      `${HASH_A}  /etc/kolla/other/beyond-the-list`,
      "nothex  /etc/kolla/nova-api/broken",
      "sha256sum: permission denied",
    ].join("\n");
    expect(parseDirState(dirs, out)).toEqual(
      new Map([
        ["/etc/kolla/nova-api/nova.conf", { sha256: HASH_A, mode: 0o660, owner: "root", group: "root" }],
        ["/etc/kolla/keystone/fernet key 0", { sha256: HASH_B, mode: 0o600, owner: "keystone", group: "kolla" }],
      ]),
    );
  });

  it("reads names sha256sum had to escape", () => {
    const out = ["kd-st 644 root root /etc/kolla/nova-api/a\\b", `\\${HASH_A}  /etc/kolla/nova-api/a\\\\b`].join("\n");
    expect(parseDirState(dirs, out).get("/etc/kolla/nova-api/a\\b")?.sha256).toBe(HASH_A);
  });

  it("the script lists exactly the regular files directly in each directory, as the parser reads them", () => {
    const base = mkdtempSync(join(tmpdir(), "kd-gather-"));
    const a = join(base, "a b");
    mkdirSync(join(a, "sub"), { recursive: true });
    writeFileSync(join(a, "x.conf"), "x\n");
    writeFileSync(join(a, ".hidden"), "h");
    writeFileSync(join(a, "sub", "deep"), "d");
    chmodSync(join(a, "x.conf"), 0o640);
    const run = spawnSync("sh", ["-c", DIR_STATE_SCRIPT, "kd", a, join(base, "missing")], { encoding: "utf8" });
    expect(run.status).toBe(0);
    const files = parseDirState([a, join(base, "missing")], run.stdout);
    expect([...files.keys()].sort()).toEqual([join(a, ".hidden"), join(a, "x.conf")]);
    expect(files.get(join(a, "x.conf"))).toMatchObject({ mode: 0o640, sha256: createHash("sha256").update("x\n").digest("hex") });
  });
});

describe("parseImages", () => {
  it("maps repo:tag to a sha256 id and skips dangling images", () => {
    const out = `reg:5000/kolla/nova-api:testbed sha256:${HASH_A}\nbusybox:latest ${HASH_B}\n<none>:<none> sha256:${HASH_A}\n\n`;
    expect(parseImages(out)).toEqual(
      new Map([
        ["reg:5000/kolla/nova-api:testbed", `sha256:${HASH_A}`],
        ["busybox:latest", `sha256:${HASH_B}`],
      ]),
    );
  });
});

describe("gatherQuery", () => {
  const dirs = ["/etc/kolla/fx"];
  const inspect = readFileSync(join(REPO_ROOT, "tests", "fixtures", "engine", "inspect", "docker-full.json"), "utf8");

  it("is one command, run as root, naming every directory and container", () => {
    const { command } = gatherQuery(docker, dirs, ["fx_full", "nova_api"]);
    expect(command.argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(command.become).toBe(true);
    for (const word of ["/etc/kolla/fx", "fx_full", "nova_api", STATE_FILE, "docker"]) expect(command.argv[2]).toContain(word);
  });

  it("builds the host state from the five answers", () => {
    const query = gatherQuery(docker, dirs, ["fx_full"]);
    const record = { ...emptyRecord(), bootstrap: { "fx:0:exec": { image: "i", at: "t" } } };
    const state = query.parse(
      framed(query.command, [
        ok("node1\n2: eth0    inet 198.18.0.11/24 scope global eth0"),
        ok(`kd-st 660 root root /etc/kolla/fx/fx.conf\n${HASH_A}  /etc/kolla/fx/fx.conf\n`),
        ok(inspect),
        ok(`testbed/busybox:latest sha256:${HASH_B}\n`),
        ok(serializeRecord(record)),
      ]),
    );
    expect(state.engineAvailable).toBe(true);
    expect(state.facts.ipv4).toEqual({ eth0: "198.18.0.11" });
    expect([...state.files.keys()]).toEqual(["/etc/kolla/fx/fx.conf"]);
    expect([...state.containers.keys()]).toEqual(["fx_full"]);
    expect(state.images.get("testbed/busybox:latest")).toBe(`sha256:${HASH_B}`);
    expect(state.record).toEqual(record);
  });

  it("a host never deployed: no containers (inspect fails), no record file", () => {
    const query = gatherQuery(docker, dirs, ["fx_full"]);
    const state = query.parse(
      framed(query.command, [ok("node3\n"), ok(""), failed(1, "Error: No such object: fx_full"), ok(""), failed(1, "cat: No such file")]),
    );
    expect(state.engineAvailable).toBe(true);
    expect(state.containers.size).toBe(0);
    expect(state.record).toEqual(emptyRecord());
  });

  it("an engine that does not answer is reported as unavailable, not as 'no containers'", () => {
    const query = gatherQuery(docker, dirs, ["fx_full"]);
    const down = failed(1, "Cannot connect to the Docker daemon");
    const state = query.parse(framed(query.command, [ok("node2\n"), ok(""), down, down, failed(1, "")]));
    expect(state.engineAvailable).toBe(false);
    expect(state.containers.size).toBe(0);
  });

  it("an unreadable record counts as no record", () => {
    const query = gatherQuery(docker, dirs, []);
    const state = query.parse(framed(query.command, [ok("n\n"), ok(""), ok(""), ok(""), ok("{not json")]));
    expect(state.record).toEqual(emptyRecord());
  });
});
