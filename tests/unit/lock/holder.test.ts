import { describe, expect, it } from "vitest";
import { describeHolder, formatAge, formatCommand, parseHolder, redactCommand, serializeHolder } from "../../../src/lock/holder.js";
import type { LockHolder } from "../../../src/lock/types.js";

const holder: LockHolder = {
  v: 1, token: "abc", user: "alice", host: "deploy1", pid: 4242, since: "2024-05-01T12:00:00.000Z",
  verb: "deploy", command: ["kolla-deploy", "deploy", "-i", "multinode"],
};

describe("redactCommand", () => {
  it("replaces known secret values anywhere in the command line", () => {
    expect(redactCommand(["kolla-deploy", "deploy", "--passwords", "/x/s3cret.yml", "-l", "s3cret"], ["s3cret"])).toEqual([
      "kolla-deploy", "deploy", "--passwords", "/x/<redacted>.yml", "-l", "<redacted>",
    ]);
  });

  it("hides -e values of secret-looking keys and inline JSON, keeps the rest", () => {
    const argv = ["kd", "-e", "keystone_admin_password=hunter2 foo=bar", "--extra-vars", '{"x": "y"}', "-e", "@vars.yml", "-edb_secret=zz", "--extra-vars=api_key=k1"];
    expect(redactCommand(argv, [])).toEqual([
      "kd", "-e", "keystone_admin_password=<redacted> foo=bar", "--extra-vars", "<redacted>", "-e", "@vars.yml", "-edb_secret=<redacted>", "--extra-vars=api_key=<redacted>",
    ]);
  });
});

describe("holder records", () => {
  it("round-trips and rejects what is not ours", () => {
    expect(parseHolder(serializeHolder(holder) + "\n")).toEqual(holder);
    expect(parseHolder("locked by bob")).toBeUndefined();
    expect(parseHolder(JSON.stringify({ ...holder, v: 2 }))).toBeUndefined();
    expect(parseHolder("")).toBeUndefined();
  });

  it("describes a holder in one line: who, where, pid, since, command", () => {
    const line = describeHolder(holder, Date.parse("2024-05-01T12:04:05Z"));
    expect(line).toBe('alice@deploy1 (pid 4242) since 2024-05-01T12:00:00.000Z (4m05s ago), running "kolla-deploy deploy -i multinode"');
    expect(line).not.toContain("\n");
  });

  it("formats ages and commands for people", () => {
    expect([formatAge(5), formatAge(65), formatAge(3 * 3600 + 120), formatAge(90000)]).toEqual(["5s", "1m05s", "3h02m", "1d01h"]);
    expect(formatCommand(["kd", "-e", "a=b c", "it's"])).toBe(`kd -e 'a=b c' 'it'\\''s'`);
  });
});
