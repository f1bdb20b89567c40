// Reading a fresh-run version's stored run result (storage keeps it as JSON,
// written by fresh-run.ts) for the pages that show the version: which code
// cells the run never reached because it stopped on an error. Those cells still
// hold the outputs the live notebook had (as nbclient leaves them), so the
// pages mark them "not run in this version" instead of passing them off as the
// run's results. Anything that is not a run result reads as "every cell ran".

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Ids of the code cells after the failing cell of a run that stopped early; empty for a run that finished. */
export function cellsNotRun(runResult: unknown): ReadonlySet<string> {
  if (!isObj(runResult) || runResult.ok !== false || !Array.isArray(runResult.cells)) return new Set();
  const ids = new Set<string>();
  let failed = false;
  for (const cell of runResult.cells) {
    if (!isObj(cell) || typeof cell.id !== 'string') continue;
    if (cell.status === 'error') failed = true;
    else if (failed && cell.status === 'not-run') ids.add(cell.id);
  }
  return ids;
}
