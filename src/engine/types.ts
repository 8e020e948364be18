/** kolla's container definition (the services dict entry), normalised for the engines. */
export interface Healthcheck {
  /** e.g. ["CMD-SHELL", "healthcheck_curl http://..."]; ["NONE"] disables. */
  readonly test: readonly string[];
  readonly intervalSec: number;
  readonly timeoutSec: number;
  readonly retries: number;
  readonly startPeriodSec: number;
}

export interface Ulimit {
  readonly name: string;
  readonly soft: number;
  readonly hard: number;
}

export interface Dimensions {
  readonly ulimits?: readonly Ulimit[];
  /** bytes, or a docker size string such as "2g" */
  readonly memLimit?: string;
  readonly memReservation?: string;
  readonly cpus?: string;
  readonly cpusetCpus?: string;
  readonly cpuShares?: number;
}

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly command?: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** kolla volume strings: "/host:/ctr:ro", "named:/path", empty entries already dropped. */
  readonly volumes: readonly string[];
  readonly privileged: boolean;
  readonly pidMode?: string;
  readonly ipcMode?: string;
  readonly cgroupnsMode?: string;
  readonly capAdd: readonly string[];
  readonly securityOpt: readonly string[];
  readonly tmpfs: readonly string[];
  readonly healthcheck?: Healthcheck;
  readonly dimensions: Dimensions;
  /** "no" | "on-failure" | "always" | "unless-stopped" */
  readonly restartPolicy: string;
  readonly restartRetries?: number;
}
