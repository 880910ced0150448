/** The fake's servers, each on its own ephemeral port. */
export const SERVER_NAMES = [
  "fileServer",
  "blobstore",
  "ccUploader",
  "cloudController",
  "stager",
] as const;

export type ServerName = (typeof SERVER_NAMES)[number];
