/**
 * Live progress while a run works, as the layers that change hosts report it: a step starts, is done
 * or failed on a host, or a note. cli/progress.ts shows it on the terminal and records it in the run log.
 */
export interface Progress {
  step(host: string, what: string): void;
  done(host: string, what: string, ms: number): void;
  failed(host: string, what: string, message: string): void;
  note(message: string): void;
}
