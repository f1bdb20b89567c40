// Jupyter's messaging protocol counts cursor positions in Unicode code points;
// JavaScript strings (and CodeMirror) count UTF-16 code units. Characters outside
// the Basic Multilingual Plane (most emoji) are one of the first and two of the
// second, so every offset crossing the boundary is converted.

/** The code-point offset of UTF-16 offset `utf16` in `text`. */
export function toCodePoints(text: string, utf16: number): number {
  let points = 0;
  for (let i = 0; i < utf16 && i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    points++;
  }
  return points;
}

/** The UTF-16 offset of code-point offset `points` in `text` (clamped to the text's end). */
export function toUtf16(text: string, points: number): number {
  let i = 0;
  for (let n = 0; n < points && i < text.length; n++) {
    const unit = text.charCodeAt(i);
    i += unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff ? 2 : 1;
  }
  return i;
}
