// A collaborator's colour, picked from their stable id so it stays the same on
// every page and for everyone.
import { palette } from '../identity/identity';

export function colorFor(holderId: string): string {
  let hash = 0;
  for (const ch of holderId) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return palette[hash % palette.length];
}
