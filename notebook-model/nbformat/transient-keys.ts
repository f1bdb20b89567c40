// Keys nbformat removes on every read and write (nbformat/v4/rwbase.py
// strip_transient): they describe one session or one machine, not the notebook.
// Output `transient` (display ids of a live kernel session) goes too: the schema
// does not allow it in files.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const NOTEBOOK_KEYS = ['orig_nbformat', 'orig_nbformat_minor', 'signature'];

/** A copy of notebook metadata without session-only keys. */
export function withoutTransientNotebookMetadata(metadata: unknown): unknown {
  if (!isObj(metadata) || !NOTEBOOK_KEYS.some((k) => k in metadata)) return metadata;
  const out = { ...metadata };
  for (const k of NOTEBOOK_KEYS) delete out[k];
  return out;
}

/** A copy of a cell without `metadata.trusted` and without outputs' `transient`. */
export function withoutTransientCellKeys(cell: Obj): Obj {
  let out = cell;
  if (isObj(cell.metadata) && 'trusted' in cell.metadata) {
    const { trusted: _trusted, ...metadata } = cell.metadata;
    out = { ...out, metadata };
  }
  if (Array.isArray(cell.outputs) && cell.outputs.some((o) => isObj(o) && 'transient' in o)) {
    out = { ...out, outputs: cell.outputs.map((o) => { if (!isObj(o) || !('transient' in o)) return o; const { transient: _t, ...rest } = o; return rest; }) };
  }
  return out;
}
