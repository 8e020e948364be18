/**
 * Reads `ssh` command-line arguments (ansible_ssh_common_args, ansible_ssh_extra_args) into an
 * SshOptionSet: -o in every spelling, -p, -i, -l, -J, -F. Other flags are accepted and ignored.
 */
import { shlexWords } from "../shlex.js";
import { applySshOption, emptyOptionSet, parsePort, SshOptionError, type SshOptionSet } from "./ssh-options.js";

/** ssh flags that take an argument; for the ones we do not honour we skip that argument. */
const FLAGS_WITH_ARGUMENT = new Set("BbcDEeFIiJLlmOopQRSWw".split(""));

/** Parses one or more argument strings (each split shell-style); earlier values win. */
export function parseSshArgs(argStrings: readonly string[], into: SshOptionSet = emptyOptionSet()): SshOptionSet {
  const words = argStrings.flatMap(splitSshArgs);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith("-") || word.length < 2) continue;
    const flag = word[1]!;
    if (!FLAGS_WITH_ARGUMENT.has(flag)) continue;
    let value = word.slice(2);
    if (value === "") {
      if (i + 1 >= words.length) throw new SshOptionError(`ssh option -${flag} needs a value`);
      value = words[++i]!;
    }
    applyFlag(into, flag, value);
  }
  return into;
}

/** As Ansible's ssh plugin (_split_ssh_args): shlex.split, each word stripped, empty ones dropped. */
export function splitSshArgs(args: string): string[] {
  return shlexWords(args, "ssh arguments")
    .map((w) => w.trim())
    .filter((w) => w !== "");
}

function applyFlag(set: SshOptionSet, flag: string, value: string): void {
  switch (flag) {
    case "o":
      applyDashO(set, value);
      return;
    case "p":
      set.port ??= parsePort(value);
      return;
    case "i":
      set.identityFiles.push(value);
      return;
    case "l":
      set.user ??= value;
      return;
    case "J":
      set.proxyJump ??= value;
      return;
    case "F":
      set.configFile ??= value;
      return;
    default:
      return;
  }
}

/** `-o Key=value`, `-o "Key value"`, `-oKey=value`. */
function applyDashO(set: SshOptionSet, option: string): void {
  const match = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*?)\s*$/.exec(option);
  if (match === null) throw new SshOptionError(`ssh option "-o ${option}" is not of the form Key=value`);
  applySshOption(set, match[1]!, stripQuotes(match[2]!));
}

function stripQuotes(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
