/**
 * How big the pieces of an archive are as it is read and inflated, wherever restager reads one
 * (app packages and buildpacks streamed in, droplets read into their image layer). Every piece
 * makes a trip through a tar parser and a write downstream, so big ones cost far less CPU than
 * Node's defaults (64 KiB reads, 16 KiB inflated pieces): a 50 MB app package streams in with a
 * tenth of the pieces. Memory stays bounded by a few pieces per open archive.
 */
export const readChunkBytes = 1024 * 1024;
export const inflatedChunkBytes = 256 * 1024;
