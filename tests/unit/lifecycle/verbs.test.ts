/** The lifecycle verbs' command lines: help, flags, and the refusals that happen before anything is read. */
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../../src/cli/program.js";
import { DeployError, exitCodeFor } from "../../../src/errors.js";
import { runCli } from "../../helpers/cli.js";

function helpOf(verb: string): string {
  const cmd = buildProgram().commands.find((c) => c.name() === verb);
  if (cmd === undefined) throw new Error(`no verb ${verb}`);
  return cmd.helpInformation();
}

describe("lifecycle verbs on the command line", () => {
  it.each(["check", "pull", "stop", "destroy", "prune-images"])("%s --help lists the common, transport and --forks flags", (verb) => {
    const help = helpOf(verb);
    for (const flag of ["--inventory", "--configdir", "--extra-vars", "--tags", "--skip-tags", "--limit", "--json", "--forks", "--ssh-host-key-checking", "--connect-timeout"]) {
      expect(help).toContain(flag);
    }
  });

  it("post-deploy --help lists the common flags; destructive verbs list their confirmation flag", () => {
    expect(helpOf("post-deploy")).toContain("--configdir");
    for (const verb of ["stop", "destroy", "prune-images"]) expect(helpOf(verb)).toContain("--yes-i-really-really-mean-it");
    expect(helpOf("stop")).toContain("--ignore-missing");
    expect(helpOf("destroy")).toContain("--include-images");
  });

  it.each([
    ["stop", "takes services down"],
    ["destroy", "deletes containers and their data"],
    ["prune-images", "deletes every unused image"],
  ])("%s without --yes-i-really-really-mean-it is a usage error (exit 64) raised before any input is read", async (verb, what) => {
    const error = await buildProgram()
      .parseAsync([verb, "-i", "/nonexistent/inventory", "--configdir", "/nonexistent"], { from: "user" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).oneLine()).toBe(
      `${verb} ${what}; it refuses to run without --yes-i-really-really-mean-it [E_USAGE] (hint: if you mean it: kolla-deploy ${verb} --yes-i-really-really-mean-it ...)`,
    );
    expect(exitCodeFor(error)).toBe(64);
  });

  it("the real CLI prints that refusal as one line and exits 64", () => {
    const r = runCli(["destroy", "-i", "/nonexistent/inventory"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^error: destroy deletes containers and their data; it refuses to run without --yes-i-really-really-mean-it \[E_USAGE\]/);
    expect(r.stdout).toBe("");
  });
});
