/** The TarCodec port on the tar package. */
import type { TarCodec } from "./ports.js";
import { tarEntries } from "./tar-entries.js";
import { encodeTarHeader } from "./tar-header.js";

export const tarCodec: TarCodec = { encodeHeader: encodeTarHeader, entries: tarEntries };
