// `name ~ "*.iso"`: `*` is any run of characters, `?` is one, case does not matter. Matched by
// walking the text with one saved star (no regular expression built from user text), so a
// pattern of many stars costs at most length × length steps, never an exponential backtrack.

export type Glob = (text: string) => boolean;

export function compileGlob(pattern: string): Glob {
  const wanted = pattern.toLowerCase();
  if (!wanted.includes('*') && !wanted.includes('?')) return (text) => text.toLowerCase() === wanted;
  return (input) => {
    const text = input.toLowerCase();
    let t = 0;
    let p = 0;
    let starAt = -1;
    let resumeAt = 0;
    while (t < text.length) {
      const c = wanted[p];
      if (c === '*') {
        starAt = p++;
        resumeAt = t;
      } else if (c !== undefined && (c === '?' || c === text[t])) {
        p++;
        t++;
      } else if (starAt !== -1) {
        // Let the last star take one more character and try again from there.
        p = starAt + 1;
        t = ++resumeAt;
      } else {
        return false;
      }
    }
    while (wanted[p] === '*') p++;
    return p === wanted.length;
  };
}
