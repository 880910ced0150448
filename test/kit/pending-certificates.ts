import type {
  CertificateFile,
  PendingCertificates,
} from "../../src/restage/system-certificates.js";

/** Trusted certificates as `launch` holds them (being read), already read. */
export function pendingCertificates(files: readonly CertificateFile[]): PendingCertificates {
  return { names: files.map((file) => file.name), files: Promise.resolve([...files]) };
}
