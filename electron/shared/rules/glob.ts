// `name ~ "*.iso"`: `*` is any run of characters, `?` is one, case does not matter. Matched by
// walking the text with one saved star (no regular expression built from user text), so a
// pattern of many stars costs at most length × length steps, never an exponential backtrack.
// Case is folded one UTF-16 unit at a time, the same way for pattern and text, without
// allocating a lowered copy of every name (the engine matches tens of thousands per run).

export type Glob = (text: string) => boolean;

const STAR = 42;
const QUESTION = 63;

function fold(code: number): number {
  if (code < 128) return code >= 65 && code <= 90 ? code + 32 : code;
  const lower = String.fromCharCode(code).toLowerCase();
  // A unit whose lower case is longer (İ) stays itself, on both sides alike.
  return lower.length === 1 ? lower.charCodeAt(0) : code;
}

export function compileGlob(pattern: string): Glob {
  const wanted = Array.from({ length: pattern.length }, (_, index) => fold(pattern.charCodeAt(index)));
  return (text) => {
    let t = 0;
    let p = 0;
    let starAt = -1;
    let resumeAt = 0;
    while (t < text.length) {
      const c = p < wanted.length ? wanted[p]! : -1;
      if (c === STAR) {
        starAt = p++;
        resumeAt = t;
      } else if (c !== -1 && (c === QUESTION || c === fold(text.charCodeAt(t)))) {
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
    while (p < wanted.length && wanted[p] === STAR) p++;
    return p === wanted.length;
  };
}
