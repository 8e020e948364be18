export interface YamlSource { path: string; text: string }
export interface YamlMergeOptions { extendLists?: boolean }
export function mergeYaml(_s: readonly YamlSource[], _o: YamlMergeOptions = {}): string { throw new Error("todo"); }
export function mergeYamlValues(): void {}
