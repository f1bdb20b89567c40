// How a long stream is drawn. A cell that prints 100,000 lines must not redraw
// megabytes per append, so the text is cut into chunks at line breaks, and chunk
// boundaries depend only on absolute offsets (the first line break after every
// CHUNK_CHARS): appending never moves an earlier boundary, so every chunk but
// the last keeps its exact text and its rendered HTML can be reused. By default
// only the last STREAM_TAIL_CHARS are drawn (whole chunks), with the rest behind
// a "show all" control.
//
// ANSI styling does not carry across a chunk boundary (a colour left open at the
// end of a chunk ends there); kernels reset colours at line ends in practice.

/** Characters of a stream drawn before "show all" is asked for. */
export const STREAM_TAIL_CHARS = 64 * 1024;
/** Target size of one drawn chunk. */
export const CHUNK_CHARS = 4 * 1024;

export interface StreamChunk {
  /** Offset of the chunk in the whole text: a stable identity while the text grows. */
  start: number;
  text: string;
}

export interface StreamView {
  chunks: StreamChunk[];
  /** Characters before the first drawn chunk (0 when everything is drawn). */
  hiddenChars: number;
}

/** Chunks of `text` to draw: all of them, or those in its last `tailChars`. */
export function streamView(text: string, options: { tailChars?: number; chunkChars?: number } = {}): StreamView {
  const tailChars = options.tailChars ?? STREAM_TAIL_CHARS;
  const chunkChars = options.chunkChars ?? CHUNK_CHARS;
  const from = Math.max(0, text.length - tailChars);
  let start = from === 0 ? 0 : boundaryAtOrAfter(text, Math.ceil(from / chunkChars) * chunkChars);
  if (start < 0 || start >= text.length) start = from; // one enormous last line: cut it
  const chunks: StreamChunk[] = [];
  let k = Math.floor(start / chunkChars) + 1;
  while (start < text.length) {
    let end = -1;
    for (; k * chunkChars < text.length; k++) {
      const boundary = boundaryAtOrAfter(text, k * chunkChars);
      if (boundary < 0) break;
      if (boundary > start) {
        end = boundary;
        k++;
        break;
      }
    }
    if (end < 0 || end >= text.length) end = text.length;
    chunks.push({ start, text: text.slice(start, end) });
    start = end;
  }
  return { chunks, hiddenChars: chunks.length ? chunks[0].start : text.length };
}

/** Offset just after the first line break at or after `offset`, or -1 if none. */
function boundaryAtOrAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? -1 : newline + 1;
}
