import type { TlsFlags } from "../tls-flags.js";

/** The flags of `launch`, as yargs parses them. */
export interface LaunchArgs extends TlsFlags {
  file?: string;
  app?: string;
  image?: string;
  stack: string[];
  cacheDir?: string;
  trustedCerts?: string;
  resolve: string[];
  instances?: number;
  network?: string;
  publish: string[];
  env: string[];
  envFile: string[];
  label: string[];
  keepProxy?: boolean;
  withSsh?: boolean;
  startTimeout?: number;
  attach?: boolean;
  detach?: boolean;
  dryRun?: boolean;
  json?: boolean;
  output: "docker" | "swarm" | "k8s" | "compose";
  out?: string;
  publishMode: "ingress" | "host";
  k8sKind: "statefulset" | "deployment";
  /** Credentials for a Docker-image app's registry (see src/image/registry-auth.ts). */
  registryUser?: string;
  registryPasswordStdin?: boolean;
  /** Read from stdin for --registry-password-stdin, before the image is resolved. */
  registryPassword?: string;
  insecureRegistry?: boolean;
}
