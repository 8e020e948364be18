/**
 * The shape every planned command shares: engine commands run as root, their errors name the
 * engine's first line of output; a tool's (mysql, openstack, kolla_*) name its last one.
 */
import type { Command } from "../../command.js";
import type { PlannedCommand } from "../types.js";

type Extra = Omit<PlannedCommand, "what" | "command" | "errorLine" | "errorCode" | "hint">;

/** An engine operation (pull, run, stop, rm, restart): the engine's own first line says why it failed. */
export function engineOp(what: string, command: Command, hint: string, extra: Extra = {}): PlannedCommand {
  return { what, command: { ...command, become: true }, errorLine: "first", errorCode: "E_ENGINE_COMMAND", hint, ...extra };
}

/** A bootstrap tool run in a container: its last line says why (the first is often "Unable to find image"). */
export function bootstrapOp(what: string, command: Command, extra: Extra = {}): PlannedCommand {
  const hint = "see the container's output above; fix the cause and run deploy again";
  return { what, command: { ...command, become: true }, errorLine: "last", errorCode: "E_BOOTSTRAP", hint, ...extra };
}

/** Output that means "already gone": removing a missing container is success. */
export const NO_SUCH_CONTAINER = "no such container";
