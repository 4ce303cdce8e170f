/**
 * The one definition of "the same text" for search: the index, the query and the highlights all
 * fold text this way, so what SQL matched is exactly what the snippet highlights. Folding is per
 * code point: lower case, Latin/Greek/Cyrillic accents and other combining diacritics dropped
 * (`naïve` → `naive`), every run of whitespace one space. Kana voicing marks and Hangul stay as
 * they are: dropping them would change the word, not its accent.
 */

/** Combining diacritics: the marks NFD splits off accented letters (not kana voicing marks, U+3099/U+309A). */
const DIACRITICS: ReadonlyArray<readonly [number, number]> = [
  [0x0300, 0x036f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x20d0, 0x20ff],
  [0xfe20, 0xfe2f],
];
const WHITESPACE = /\s/;

function isDiacritic(code: number): boolean {
  return DIACRITICS.some(([from, to]) => code >= from && code <= to);
}

/** True when every character of `text` is ASCII (folding it only lower-cases and collapses whitespace). */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

const cache = new Map<string, string>();

/** One code point folded: lower case, diacritics dropped, recomposed. */
function foldCodePoint(cp: string): string {
  let folded = cache.get(cp);
  if (folded === undefined) {
    let kept = '';
    // All marks here are in the BMP: one UTF-16 unit each.
    for (const unit of cp.toLowerCase().normalize('NFD')) if (!isDiacritic(unit.charCodeAt(0))) kept += unit;
    folded = kept.normalize('NFC');
    // The table holds only the code points met; a few thousand at most in real text.
    if (cache.size < 65_536) cache.set(cp, folded);
  }
  return folded;
}

/** Every code point outside ASCII, one match each. */
const NON_ASCII = /[\u0080-\u{10ffff}]/gu;

/**
 * `text` folded for matching (see the module comment); equal to `foldWithMap(text).folded`,
 * faster. Non-ASCII code points are folded one by one first; lower-casing the whole string after
 * that only reaches ASCII letters (a folded code point is already lower case, and no Σ is left
 * for the final-sigma rule), and whitespace, Unicode spaces included, collapses last.
 */
export function foldText(text: string): string {
  const folded = isAscii(text) ? text : text.replace(NON_ASCII, foldCodePoint);
  return folded.toLowerCase().replace(/\s+/g, ' ');
}

/** Folded text with, for each of its UTF-16 units, where its source starts and ends in the original. */
export interface FoldedText {
  folded: string;
  /** `starts[i]`: offset in the original of the code point that produced `folded[i]`. */
  starts: number[];
  /** `ends[i]`: offset just after it, including combining marks that folded to nothing. */
  ends: number[];
}

/** {@link foldText} with a map back to the original, for highlighting what matched. */
export function foldWithMap(text: string): FoldedText {
  let folded = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let lastWasSpace = false;
  let at = 0;
  for (const cp of text) {
    const end = at + cp.length;
    // Whitespace is tested before folding, as foldText's last step sees it.
    if (WHITESPACE.test(cp)) {
      if (lastWasSpace) ends[ends.length - 1] = end;
      else {
        folded += ' ';
        starts.push(at);
        ends.push(end);
      }
      lastWasSpace = true;
    } else {
      const out = foldCodePoint(cp);
      if (out === '') {
        // A mark that folds away belongs to what it follows; a space stays one space across it.
        if (ends.length > 0) ends[ends.length - 1] = end;
      } else {
        for (let i = 0; i < out.length; i++) {
          starts.push(at);
          ends.push(end);
        }
        folded += out;
        lastWasSpace = false;
      }
    }
    at = end;
  }
  return { folded, starts, ends };
}

/** Length in code points: what SQLite's trigram tokenizer counts. */
export function codePointLength(text: string): number {
  return Array.from(text).length;
}
