/** What one measured run yields, and the summaries the report is made of. */

export interface Sample {
  /** wall time of the whole process, spawn to exit */
  readonly wallMs: number;
  /** user + system CPU of the controller process and everything it waited for */
  readonly cpuMs: number;
  /** peak RSS of the largest single process (getrusage, from /usr/bin/time) */
  readonly maxRssKb: number;
  /** peak of the summed RSS of the whole process tree, sampled every 100 ms (only when asked) */
  readonly treeRssKb?: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** SSH traffic one run caused, counted from the hosts' sshd logs (independent of the tool's own stats). */
export interface SshCounts {
  /** accepted SSH connections per host, averaged over hosts */
  readonly connectionsPerHost: number;
  /** session channels (exec / subsystem) per host, averaged over hosts */
  readonly execsPerHost: number;
  readonly maxConnectionsPerHost: number;
  readonly maxExecsPerHost: number;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface CaseResult {
  readonly id: string;
  readonly tool: "kolla-deploy" | "ansible";
  readonly title: string;
  readonly hosts: number;
  readonly simulated: boolean;
  readonly runs: number;
  readonly wallMs: Spread;
  readonly cpuMs: Spread;
  readonly maxRssKb: Spread;
  readonly treeRssKb?: Spread;
  readonly ssh: SshCounts;
  /**
   * CPU the hosts used during the run (their cpuacct cgroups; all hosts together). The hosts share
   * this machine's cores with the controller; on the real test bed this includes dockerd and the
   * containers' background work (healthchecks).
   */
  readonly hostsCpuMs?: Spread;
  /** the tool's own count (kolla-deploy's run log "run end" stats), when it reports one */
  readonly selfReported?: { readonly connectionsPerHost: number; readonly execsPerHost: number };
  /** what changed per run (should be 0 for a no-change case) */
  readonly changedPerRun: readonly number[];
  readonly notes: readonly string[];
  /** every raw sample, for the JSON file */
  readonly samples: readonly Omit<Sample, "stdout" | "stderr">[];
}

export interface MachineNotes {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly ansible: string;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly commit: string;
  /** files under test that differ from that commit (git status --short), empty when none */
  readonly uncommitted?: readonly string[];
}

/** What any run pays on this machine before it does anything (floor.ts). */
export interface Floor {
  /** `node -e 0` */
  readonly nodeStartMs: Spread;
  /** `kolla-deploy --version`: node plus loading the CLI's modules */
  readonly cliStartMs: Spread;
  readonly cliStartCpuMs: Spread;
}

export interface BenchResults {
  readonly machine: MachineNotes;
  readonly floor?: Floor;
  readonly cases: readonly CaseResult[];
  /** restart time of the container the one-change case restarts, measured on the hosts directly */
  readonly restartReferenceMs?: Spread;
  readonly ratios: readonly { readonly case: string; readonly ansibleOverKollaDeploy: number }[];
}
