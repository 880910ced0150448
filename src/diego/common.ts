/** Models shared by task definitions and desired LRPs (diego-reference.md §2–§4). */
import type { Checksum } from "../core/checksums.js";
import type { EnvVar } from "../core/env-var.js";

/** A dependency the cell downloads and mounts read-only before the container starts. */
export interface CachedDependency {
  /** Display name; "" prints no progress lines. */
  name: string;
  from: string;
  to: string;
  cacheKey: string;
  logSource: string;
  checksum?: Checksum | undefined;
}

/** The V3 `image_layers` entry, kept for display; the parser also converts it (reference §2.5). */
export interface ImageLayer {
  name: string;
  url: string;
  destinationPath: string;
  layerType: "SHARED" | "EXCLUSIVE";
  mediaType: "TGZ" | "TAR" | "ZIP";
  digest?: { algorithm: "sha256" | "sha512"; value: string } | undefined;
}

export interface PortRange {
  start: number;
  end: number;
}

export interface EgressRule {
  protocol: string;
  destinations: string[];
  ports?: number[] | undefined;
  portRange?: PortRange | undefined;
  log: boolean;
}

export interface VolumeMount {
  driver: string;
  containerDir: string;
  mode: string;
}

/** Fields common to both request kinds, after normalisation. */
export interface ContainerSpec {
  /** As recorded: `preloaded:cflinuxfs4`, `docker:///repo#tag`, ... */
  rootfs: string;
  /** Container-level env (e.g. LANG). */
  env: EnvVar[];
  diskMb: number;
  memoryMb: number;
  cpuWeight: number;
  /** Diego meaning: no user namespace. Never translated to `docker run --privileged`. */
  privileged: boolean;
  logSource: string;
  logGuid: string;
  metricsGuid: string;
  annotation: string;
  egressRules: EgressRule[];
  /** Includes the SHARED image layers converted to cached dependencies. */
  cachedDependencies: CachedDependency[];
  legacyDownloadUser: string;
  trustedSystemCertificatesPath: string;
  placementTags: string[];
  maxPids: number;
  imageLayers: ImageLayer[];
  volumeMounts: VolumeMount[];
  /** `network.properties`, as recorded. */
  networkProperties: Record<string, string>;
  /** `image_username` / `image_password` for docker rootfs; the password is a secret. */
  imageUsername: string;
  imagePassword: string;
  metricTags: Record<string, unknown>;
  /** Optional fields that affect only scheduling/observability, kept verbatim for --json. */
  certificateProperties?: { organizationalUnit: string[] } | undefined;
  logRateLimitBytesPerSecond?: number | undefined;
}
