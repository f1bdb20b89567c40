// How deeply a parsed JSON value nests, measured without recursion, so that a
// file nested thousands of levels deep is refused when it is read instead of
// overflowing the stack later (Yjs encodes metadata values recursively).

/** Deepest nesting of objects and arrays a notebook file may have; real notebooks stay far below it. */
export const MAX_JSON_DEPTH = 100;

/** True when `value` nests objects/arrays more than `limit` levels deep (a scalar is depth 0). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
