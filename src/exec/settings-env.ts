/** What connection settings may read from the machine, injected so resolution stays pure. */
import { existsSync, readFileSync } from "node:fs";
import { homedir, userInfo } from "node:os";

export type HostKeyMode = "strict" | "accept-new" | "no";

export interface SettingsEnv {
  readonly home: string;
  readonly localUser: string;
  readonly agentSocket: string | undefined;
  /** File contents, or undefined when the file does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  fileExists(path: string): boolean;
}

/** The real machine: $HOME, the current user, $SSH_AUTH_SOCK, the filesystem. */
export function machineSettingsEnv(): SettingsEnv {
  return {
    home: process.env.HOME ?? homedir(),
    localUser: process.env.USER ?? userInfo().username,
    agentSocket: process.env.SSH_AUTH_SOCK === "" ? undefined : process.env.SSH_AUTH_SOCK,
    readFile: (path) => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
    fileExists: (path) => existsSync(path),
  };
}

/** OpenSSH spellings (yes/accept-new/no/off/ask) and ours (strict) to a mode. */
export function parseHostKeyMode(value: string): HostKeyMode | undefined {
  switch (value.toLowerCase()) {
    case "strict":
    case "yes":
    case "ask": // nobody is there to answer, so ask behaves like yes
      return "strict";
    case "accept-new":
      return "accept-new";
    case "no":
    case "off":
      return "no";
    default:
      return undefined;
  }
}

/** `~` and the OpenSSH tokens %h %p %r %u %d %% in IdentityFile / UserKnownHostsFile. */
export function expandSshPath(
  path: string,
  ctx: { env: SettingsEnv; host: string; port: number; user: string },
): string {
  const withHome = path === "~" || path.startsWith("~/") ? ctx.env.home + path.slice(1) : path;
  return withHome.replace(/%([hprud%])/g, (_m, token: string) => {
    switch (token) {
      case "h":
        return ctx.host;
      case "p":
        return String(ctx.port);
      case "r":
        return ctx.user;
      case "u":
        return ctx.env.localUser;
      case "d":
        return ctx.env.home;
      default:
        return "%";
    }
  });
}
