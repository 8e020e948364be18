/**
 * Records what the container-engine CLI answers on a real test-bed host after a deploy, for the
 * light hosts' simulator (bench/sim/docker): one JSON file per container (`container inspect`) and
 * the `image ls` lines the planner reads. The host's own address becomes @@HOST_IP@@ so each light
 * host answers with its own (healthchecks and some env values name it).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sshRun, type RemoteHost } from "./remote.js";

export async function recordEngine(host: RemoteHost, dir: string): Promise<number> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "containers"), { recursive: true, mode: 0o700 });
  const inspect = await sshRun(host, `docker container inspect $(docker ps -a --format '{{.Names}}')`);
  const images = await sshRun(host, `docker image ls --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}'`);
  const own = new RegExp(`${host.address.replaceAll(".", "\\.")}(?![0-9])`, "g");
  const containers = JSON.parse(inspect) as { Name: string }[];
  for (const c of containers) {
    const text = JSON.stringify(c, null, 4).replace(own, "@@HOST_IP@@");
    writeFileSync(join(dir, "containers", `${c.Name.replace(/^\//, "")}.json`), `${text}\n`);
  }
  writeFileSync(join(dir, "image-ls.txt"), images);
  return containers.length;
}
