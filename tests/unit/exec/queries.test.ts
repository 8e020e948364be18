import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { composeQueries } from "../../../src/exec/compose.js";
import { fileStateQuery, parseFileState } from "../../../src/exec/file-state.js";
import { LocalTransport } from "../../../src/exec/local.js";

const local = new LocalTransport("localhost", { become: false, becomeUser: "root", maxProcesses: 4, commandTimeoutMs: 30_000 });

describe("fileStateQuery() + parseFileState()", () => {
  it("parses hand-written output by index, ignoring noise", () => {
    const out = "motd noise\nkd-fs 1 missing\nkd-fs 0 file 644 root kolla abc123\nkd-fs 2 dir 755 root root -\n";
    expect(parseFileState(["/a", "/b", "/c"], out)).toEqual([
      { path: "/a", exists: true, type: "file", mode: 0o644, owner: "root", group: "kolla", sha256: "abc123" },
      { path: "/b", exists: false },
      { path: "/c", exists: true, type: "dir", mode: 0o755, owner: "root", group: "root" },
    ]);
    expect(() => parseFileState(["/a"], "")).toThrow(/no line/);
  });

  it("reports real files, odd names, directories and missing paths", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kd-fs-"));
    const odd = join(dir, "a b\nc 'd'");
    writeFileSync(odd, "content", { mode: 0o640 });
    mkdirSync(join(dir, "sub"), { mode: 0o750 });
    symlinkSync(odd, join(dir, "link"));
    const paths = [odd, join(dir, "sub"), join(dir, "nope"), join(dir, "link")];
    const result = await local.run(fileStateQuery(paths));
    const states = parseFileState(paths, result.stdout);
    const sha = createHash("sha256").update("content").digest("hex");
    expect(states[0]).toMatchObject({ exists: true, type: "file", mode: 0o640, sha256: sha });
    expect(states[1]).toMatchObject({ exists: true, type: "dir", mode: 0o750 });
    expect(states[2]).toEqual({ path: paths[2], exists: false });
    expect(states[3]).toMatchObject({ exists: true, type: "file", sha256: sha });
  });
});

describe("composeQueries()", () => {
  it("runs several queries in one command and splits stdout, stderr and exit codes back", async () => {
    const composed = composeQueries(
      [
        { argv: ["printf", "no newline"] },
        { argv: ["sh", "-c", "echo out; echo err >&2; exit 7"] },
        { argv: ["echo", "__kolla_deploy_fake__ end 0 0"] },
        fileStateQuery(["/"]),
      ],
      "fixednonce",
    );
    const result = await local.run(composed.command);
    const [a, b, c, d] = composed.split(result);
    expect(a).toEqual({ code: 0, stdout: "no newline", stderr: "" });
    expect(b).toEqual({ code: 7, stdout: "out\n", stderr: "err\n" });
    expect(c!.stdout).toBe("__kolla_deploy_fake__ end 0 0\n");
    expect(parseFileState(["/"], d!.stdout)[0]).toMatchObject({ exists: true, type: "dir" });
  });

  it("refuses stdin and mixed become; carries secrets", () => {
    expect(() => composeQueries([{ argv: ["cat"], stdin: "x" }])).toThrow(/stdin/);
    expect(() => composeQueries([{ argv: ["a"], become: true }, { argv: ["b"] }])).toThrow(/become/);
    expect(composeQueries([{ argv: ["a"], secrets: ["s1"] }, { argv: ["b"], secrets: ["s2"] }]).command.secrets).toEqual(["s1", "s2"]);
  });

  it("says which query did not finish when the output is cut", () => {
    const composed = composeQueries([{ argv: ["true"] }], "n");
    expect(composed.split({ code: 255, stdout: "", stderr: "" })[0]).toMatchObject({ code: 255, stderr: expect.stringMatching(/did not run to the end/) });
  });
});
