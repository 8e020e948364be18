/**
 * The floor under every kolla-deploy run on this machine, measured in the same session: starting
 * node itself, and starting the CLI (node + loading its modules, `--version`). Together with the
 * controller's and the hosts' CPU per case, RESULTS.md uses these to say what bounds a missed target.
 */
import { measure } from "./measure.js";
import { spread } from "./stats.js";
import type { Floor } from "./types.js";
import { KD } from "./workspace.js";

export async function measureFloor(repeats: number): Promise<Floor> {
  const node: number[] = [];
  const cli: number[] = [];
  const cliCpu: number[] = [];
  // Interleaved, so load changes hit both alike.
  for (let i = 0; i < repeats; i++) {
    node.push((await measure([process.execPath, "-e", "0"])).wallMs);
    const s = await measure([KD, "--version"]);
    cli.push(s.wallMs);
    cliCpu.push(s.cpuMs);
  }
  return { nodeStartMs: spread(node), cliStartMs: spread(cli), cliStartCpuMs: spread(cliCpu) };
}
