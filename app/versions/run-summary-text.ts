// One line saying how a fresh run went, for the versions list.

interface RunResultShape {
  ok?: unknown;
  durationMs?: unknown;
  error?: unknown;
  cells?: { index?: unknown; differs?: unknown }[];
}

export function runSummaryText(runResult: unknown): string | null {
  if (!runResult || typeof runResult !== 'object') return null;
  const result = runResult as RunResultShape;
  const parts: string[] = [];
  parts.push(result.ok === true ? 'every cell ran' : `failed${typeof result.error === 'string' ? `: ${result.error}` : ''}`);
  if (typeof result.durationMs === 'number') parts.push(`${(result.durationMs / 1000).toFixed(1)} s`);
  const changed = (result.cells ?? []).filter((c) => c.differs === true).map((c) => Number(c.index) + 1);
  if (changed.length) parts.push(`output changed on a clean run: cell ${changed.join(', ')}`);
  return parts.join(' · ');
}
