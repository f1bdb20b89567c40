// Random notebook edits for the convergence property tests (one node and many):
// a seeded PRNG, so a failing run replays exactly, and one random edit of the
// kinds people make (typing, deleting text, adding, deleting, moving, splitting,
// merging cells). For tests only; the PRNG also drives the fuzzer and the
// hostile-input tests' random bytes.
import type * as Y from 'yjs';
import { cellsOf, cellIdOf, deleteCell, insertCell, mergeCellWithNext, moveCell, splitCell } from '../notebook-model';

/** Small deterministic PRNG (mulberry32), so a failing seed replays exactly. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One random edit of `doc` by `name` (its first letter is what it types). */
export function randomEdit(doc: Y.Doc, rand: () => number, name: string): void {
  const cells = cellsOf(doc);
  const pick = () => cells.get(Math.floor(rand() * cells.length));
  const roll = rand();
  if (!cells.length || roll < 0.1) {
    insertCell(doc, Math.floor(rand() * (cells.length + 1)), { cell_type: rand() < 0.7 ? 'code' : 'markdown', source: `${name}:` });
  } else if (roll < 0.55) {
    const text = pick().get('source') as Y.Text;
    text.insert(Math.floor(rand() * (text.length + 1)), name[0].repeat(1 + Math.floor(rand() * 3)));
  } else if (roll < 0.7) {
    const text = pick().get('source') as Y.Text;
    if (text.length) {
      const at = Math.floor(rand() * text.length);
      text.delete(at, Math.min(text.length - at, 1 + Math.floor(rand() * 3)));
    }
  } else if (roll < 0.78) {
    if (cells.length > 1) deleteCell(doc, cellIdOf(pick()));
  } else if (roll < 0.88) {
    moveCell(doc, cellIdOf(pick()), Math.floor(rand() * cells.length));
  } else if (roll < 0.94) {
    const cell = pick();
    splitCell(doc, cellIdOf(cell), Math.floor(rand() * ((cell.get('source') as Y.Text).length + 1)));
  } else if (cells.length > 1) {
    mergeCellWithNext(doc, cellIdOf(cells.get(Math.floor(rand() * (cells.length - 1)))));
  }
}
