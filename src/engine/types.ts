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

/** The engines kolla supports (`kolla_container_engine`). */
export type EngineName = "docker" | "podman";

/** A container as `inspect` reports it, normalised so docker and podman read the same. */
export interface ContainerState {
  readonly name: string;
  readonly id: string;
  /** image reference the container was created from, e.g. "testbed/busybox:latest" */
  readonly image: string;
  /** "sha256:<hex>" */
  readonly imageId: string;
  /** "running" | "exited" | "created" | "restarting" | "paused" | "dead" ... */
  readonly status: string;
  readonly exitCode: number;
  /** "starting" | "healthy" | "unhealthy"; undefined when the container has no healthcheck */
  readonly health?: string;
  /** output of the most recent health probe, if any */
  readonly healthLog?: string;
  readonly startedAt: string;
  readonly env: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** binds as "source:target:mode" with mode "rw"|"ro" plus propagation (e.g. "rw,shared") */
  readonly binds: readonly string[];
  /** anonymous volumes (container-side paths, Config.Volumes) */
  readonly volumes: readonly string[];
  readonly privileged: boolean;
  /** "" = the engine's default (private) */
  readonly pidMode: string;
  /** undefined when the engine does not report it reliably (podman 4.3 says "shareable" for host) */
  readonly ipcMode?: string;
  /** "" = not reported (counts as host, like kolla) */
  readonly cgroupnsMode: string;
  /** upper case without "CAP_" */
  readonly capAdd: readonly string[];
  readonly securityOpt: readonly string[];
  /** container-side paths */
  readonly tmpfs: readonly string[];
  readonly healthcheck?: Healthcheck;
  readonly ulimits: readonly Ulimit[];
  readonly memoryBytes: number;
  readonly memoryReservationBytes: number;
  readonly nanoCpus: number;
  readonly cpusetCpus: string;
  readonly cpuShares: number;
  /** Path + Args: what the container runs */
  readonly command: readonly string[];
  readonly restartPolicy: string;
  readonly restartRetries: number;
}

/** An image as `image inspect` reports it. */
export interface ImageInfo {
  /** "sha256:<hex>" */
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}
