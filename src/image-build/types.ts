/**
 * The data of `kolla-deploy build`: image definitions as validated from etc/images/<name>/image.yml,
 * layers as built and cached, and images as pushed.
 */

/** Debian's bootstrap of a root image (the first layer of `base`): debootstrap's inputs. */
export interface BootstrapSpec {
  readonly suite: string;
  readonly variant: string;
  readonly mirror: string;
  readonly include: readonly string[];
}

/** A file copied into the layer; `source` is relative to the image's directory. */
export interface FileCopy {
  readonly source: string;
  readonly dest: string;
  /** e.g. 0o755 */
  readonly mode: number;
  /** user[:group], names known in the image (default root:root) */
  readonly owner: string;
  /** Render the source through handlebars with the build variables first. */
  readonly template: boolean;
}

/** An image.yml, checked; its own container settings (env, labels, user, …) before inheritance. */
export interface ImageDefinition extends ImageSettings {
  readonly name: string;
  /** etc/images/<name>/image.yml, for error messages */
  readonly file: string;
  readonly dir: string;
  /** The image this one is layered on; undefined only for a bootstrap (root) image. */
  readonly parent: string | undefined;
  readonly bootstrap: BootstrapSpec | undefined;
  /** kolla users (fixed uids, see users.ts) created before the packages are installed. */
  readonly users: readonly string[];
  readonly packages: readonly string[];
  readonly files: readonly FileCopy[];
  /** argv lists run in the chroot after packages and files, in order. */
  readonly run: readonly (readonly string[])[];
}

/** What one built layer is, as stored next to its tar in the cache. */
export interface LayerInfo {
  /** The cache key the layer was built for. */
  readonly key: string;
  /** sha256:… of the gzipped tar (the registry blob). */
  readonly digest: string;
  /** sha256:… of the uncompressed tar (the image config's diff_id). */
  readonly diffId: string;
  readonly size: number;
  /** ISO time the layer was built (the image's `created` is its newest layer's). */
  readonly created: string;
}

/** The container settings of an image after inheritance from its ancestors. */
export interface ImageSettings {
  readonly env: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly user: string | undefined;
  readonly workdir: string | undefined;
  readonly entrypoint: readonly string[] | undefined;
  readonly cmd: readonly string[] | undefined;
}

/** Variables image.yml and file templates render with. */
export interface BuildVars {
  readonly base_distro: string;
  readonly base_distro_release: string;
  readonly debian_mirror: string;
  readonly debian_security_mirror: string;
  readonly tag: string;
  readonly namespace: string;
  readonly [key: string]: string;
}
