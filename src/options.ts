/**
 * The options every kolla-ansible-shaped verb takes (-i, --configdir, --passwords, -e, -t, --skip-tags,
 * -l, -v, --json), in their parsed form. cli/common.ts parses them from the command line once; apply,
 * lifecycle, bootstrap and upgrade read them from here, so nothing below cli/ imports cli/.
 */
export interface CommonOptions {
  inventory: string[];
  configdir: string;
  passwords: string | undefined;
  extraVars: string[];
  tags: string[];
  skipTags: string[];
  limit: string | undefined;
  verbose: number;
  json: boolean;
}
