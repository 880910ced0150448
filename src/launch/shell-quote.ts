const safe = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word for a POSIX shell: bare when it is safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (word !== "" && safe.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line a POSIX shell splits back into exactly `argv`. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}
