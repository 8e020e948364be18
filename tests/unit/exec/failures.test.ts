import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import * as fail from "../../../src/exec/failures.js";
import { LocalTransport } from "../../../src/exec/local.js";
import { redactSecrets } from "../../../src/redact.js";
import { effectiveArgv, throwIfSudoRefused } from "../../../src/exec/transport-common.js";
import { FakeTransport } from "../../../src/exec/fake.js";
import { runChecked } from "../../../src/exec/index.js";

const endpoint = { host: "node2", address: "198.18.0.12", port: 22, user: "root" };

describe("connect failures", () => {
  it("maps socket and ssh2 errors to codes with the host and a hint", () => {
    const refused = fail.connectFailure(endpoint, Object.assign(new Error("x"), { code: "ECONNREFUSED" }));
    expect(refused).toBeInstanceOf(DeployError);
    expect(refused.oneLine()).toMatch(/^host node2: SSH connection to root@198\.18\.0\.12:22 refused \[E_HOST_UNREACHABLE\] \(hint: .+\)$/);
    expect(fail.connectFailure(endpoint, Object.assign(new Error("x"), { code: "EHOSTUNREACH" })).code).toBe("E_HOST_UNREACHABLE");
    expect(fail.connectFailure(endpoint, Object.assign(new Error("x"), { level: "client-authentication" })).code).toBe("E_HOST_AUTH");
    expect(fail.connectFailure(endpoint, Object.assign(new Error("x"), { level: "client-timeout" })).code).toBe("E_HOST_TIMEOUT");
    expect(fail.connectTimeout(endpoint, 5000).message).toMatch(/within 5s/);
  });

  it("names the fingerprint and files for host key problems", () => {
    expect(fail.hostKeyUnknown(endpoint, "SHA256:abc", ["/kh"]).oneLine()).toMatch(/SHA256:abc.*\/kh.*E_HOST_KEY_UNKNOWN.*accept-new/);
    expect(fail.hostKeyChanged(endpoint, "SHA256:abc", ["/kh:3"]).oneLine()).toMatch(/host node2: HOST KEY CHANGED.*\/kh:3.*E_HOST_KEY_CHANGED/);
  });
});

describe("secrets", () => {
  it("are redacted from text, longest first", () => {
    expect(redactSecrets("pw=hunter2 and hunter2x", ["hunter2", "hunter2x"])).toBe("pw=<redacted> and <redacted>");
    expect(redactSecrets("x", undefined)).toBe("x");
  });

  it("never appear in command failure messages", () => {
    const cmd = { argv: ["sh", "-c", "echo s3cr3t"], secrets: ["s3cr3t"] };
    const error = fail.commandFailed("n", cmd, 1, "bad password s3cr3t\n");
    expect(error.oneLine()).not.toContain("s3cr3t");
    expect(error.code).toBe("E_COMMAND_FAILED");
  });

  it("are redacted by runChecked", async () => {
    const fake = new FakeTransport("n", () => ({ code: 2, stdout: "", stderr: "token abc123 rejected" }));
    await expect(runChecked(fake, { argv: ["login", "abc123"], secrets: ["abc123"] })).rejects.toSatisfy(
      (e: DeployError) => !e.oneLine().includes("abc123") && e.code === "E_COMMAND_FAILED",
    );
  });
});

describe("become", () => {
  const settings = { user: "kolla", become: false, becomeUser: "root" };
  it("wraps with sudo when asked, unless already that user", () => {
    expect(effectiveArgv({ argv: ["id"] }, settings)).toEqual({ argv: ["id"], viaSudo: false });
    expect(effectiveArgv({ argv: ["id"], become: true }, settings).argv).toEqual(["sudo", "-n", "-H", "-u", "root", "--", "id"]);
    expect(effectiveArgv({ argv: ["id"] }, { ...settings, become: true }).viaSudo).toBe(true);
    expect(effectiveArgv({ argv: ["id"], become: false }, { ...settings, become: true }).viaSudo).toBe(false);
    expect(effectiveArgv({ argv: ["id"], become: true }, { ...settings, user: "root" }).viaSudo).toBe(false);
  });

  it("turns sudo's own refusal into E_HOST_BECOME", () => {
    const refused = { code: 1, stdout: "", stderr: "sudo: a password is required\n" };
    expect(() => throwIfSudoRefused("n", settings, true, refused)).toThrow(expect.objectContaining({ code: "E_HOST_BECOME" }));
    expect(() => throwIfSudoRefused("n", settings, false, refused)).not.toThrow();
  });
});

describe("LocalTransport", () => {
  it("runs argv without a shell, passes stdin, and counts execs", async () => {
    const t = new LocalTransport("localhost", { become: false, becomeUser: "root", maxProcesses: 2, commandTimeoutMs: undefined });
    expect(await t.run({ argv: ["echo", "$HOME", "a  b"] })).toEqual({ code: 0, stdout: "$HOME a  b\n", stderr: "" });
    expect((await t.run({ argv: ["cat"], stdin: "in" })).stdout).toBe("in");
    expect((await t.run({ argv: ["sh", "-c", "exit 4"] })).code).toBe(4);
    expect(t.stats).toEqual({ connections: 0, execs: 3 });
  });

  it("kills a command that runs past its timeout", async () => {
    const t = new LocalTransport("localhost", { become: false, becomeUser: "root", maxProcesses: 2, commandTimeoutMs: undefined });
    const started = Date.now();
    await expect(t.run({ argv: ["sleep", "5"], timeoutMs: 200 })).rejects.toMatchObject({ code: "E_HOST_TIMEOUT" });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
