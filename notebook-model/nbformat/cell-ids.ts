// Cell ids as nbformat 4.5 defines them: 1–64 characters from [a-zA-Z0-9-_],
// unique within a notebook. New ids are minted like nbformat mints them (8 random
// hex characters), using Web Crypto so this runs in the browser and on the server.

export const CELL_ID_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;

function randomHex8(): string {
  const bytes = new Uint8Array(4);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A fresh id not in `taken` (which it is added to). */
export function mintCellId(taken: Set<string>): string {
  let id = randomHex8();
  while (taken.has(id)) id = randomHex8();
  taken.add(id);
  return id;
}

/** "x" is used by cells 1 and 4 — one sentence per repeated id, cells numbered from 1. */
export function duplicateIdProblems(ids: (string | undefined)[]): string[] {
  const where = new Map<string, number[]>();
  ids.forEach((id, i) => { if (typeof id === 'string') where.set(id, [...(where.get(id) ?? []), i + 1]); });
  const problems: string[] = [];
  for (const [id, cells] of where) {
    if (cells.length < 2) continue;
    const list = cells.length === 2 ? `${cells[0]} and ${cells[1]}` : `${cells.slice(0, -1).join(', ')} and ${cells[cells.length - 1]}`;
    problems.push(`cell ids must be unique: ${JSON.stringify(id)} is used by cells ${list}`);
  }
  return problems;
}
