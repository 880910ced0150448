/** Counts kept while scraping, for --verbose diagnostics and "nothing found" messages. */
export interface ScrapeStats {
  /** Each input read, with its line count. */
  sources: { name: string; lines: number }[];
  lines: number;
  /** Lines that passed the substring prefilter and were parsed. */
  candidates: number;
  /** Candidate lines that were not a complete lager entry (partial or corrupt JSON). */
  unparsable: number;
  /** Lines with no `{` at all (plain text, Go panics, binary noise). */
  nonJson: number;
  /** Lines skipped for exceeding the length limit. */
  tooLong: number;
  /** Request messages logged without their payload (the unpatched stager's debug line). */
  payloadless: number;
  /** Requests found, of any kind. */
  requests: number;
}

export function newScrapeStats(): ScrapeStats {
  return {
    sources: [],
    lines: 0,
    candidates: 0,
    unparsable: 0,
    nonJson: 0,
    tooLong: 0,
    payloadless: 0,
    requests: 0,
  };
}
