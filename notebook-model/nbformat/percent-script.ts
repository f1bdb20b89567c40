// Notebooks as plain scripts in the "percent" convention (jupytext, VS Code,
// Spyder): each cell starts with a `# %%` line; markdown and raw cells are
// `# %% [markdown]` / `# %% [raw]` with every line commented (`# text`, an empty
// line as `#`); a blank line separates cells; an optional jupytext-style YAML
// header carries the kernelspec; cell metadata rides on the marker line as
// `key=<JSON>` pairs, as jupytext writes it (`# %% [markdown] tags=["intro"]`).
//
// Invariant: for code, markdown and raw cells, notebook → script → notebook
// gives back the same cell types and byte-identical sources. Three rules make
// that exact where a naive reading is ambiguous:
// - a cell's body is every line up to the next marker, minus ONE blank
//   separator line, so trailing newlines and blank lines of a source survive;
// - a body line that would read as a marker (`# %%`, `#%%`, also after the
//   markdown `# ` prefix) is escaped with a `#~ ` prefix; a line that already
//   looks escaped gets one more `#~ `, so unescaping is unambiguous;
// - sources are split on `\n` only, so `\r` and other characters stay in place.
// Cells of types this version does not know (from a newer nbformat) have no
// script form and are left out. Volatile view metadata (see strip.ts) is not written.
import { mintCellId } from './cell-ids';
import type { CellJSON, CellMetadata, CellType, JSONValue, KernelspecJSON, NotebookJSON, NotebookMetadata } from './types';

const MARKER = /^\s*#\s*%%/;
const NEEDS_ESCAPE = /^(?:#~ )*\s*#\s*%%/;
const ESCAPE = '#~ ';
const SKIPPED_METADATA = new Set(['collapsed', 'scrolled', 'ExecuteTime', 'execution', 'heading_collapsed', 'hidden', 'trusted']);
const OPTION_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

const escapeLine = (line: string) => (NEEDS_ESCAPE.test(line) ? ESCAPE + line : line);
const unescapeLine = (line: string) => (line.startsWith(ESCAPE) && NEEDS_ESCAPE.test(line.slice(ESCAPE.length)) ? line.slice(ESCAPE.length) : line);
const commentLine = (line: string) => (line === '' ? '#' : `# ${line}`);
function uncommentLine(line: string): string {
  if (line.startsWith('# ')) return line.slice(2);
  if (line.startsWith('#')) return line.slice(1);
  return line; // a hand-written line the author forgot to comment
}

/** A YAML scalar: plain when unambiguous, else a JSON string (valid YAML double-quoted). */
function yamlScalar(value: JSONValue): string {
  if (typeof value === 'string' && /^[A-Za-z0-9_][A-Za-z0-9_ .()+-]*$/.test(value) && !/\s$/.test(value) && !/^(true|false|null|yes|no|on|off|~|[-+.\d].*)$/i.test(value)) return value;
  return JSON.stringify(value);
}

function headerLines(kernelspec: KernelspecJSON): string[] {
  const lines = ['# ---', '# jupyter:', '#   kernelspec:'];
  for (const key of Object.keys(kernelspec).sort()) {
    if (OPTION_KEY.test(key)) lines.push(`#     ${key}: ${yamlScalar(kernelspec[key])}`);
  }
  lines.push('# ---');
  return lines;
}

function markerLine(cell: CellJSON): string {
  let line = cell.cell_type === 'code' ? '# %%' : `# %% [${cell.cell_type}]`;
  for (const [key, value] of Object.entries(cell.metadata)) {
    if (value === undefined || SKIPPED_METADATA.has(key) || !OPTION_KEY.test(key)) continue;
    line += ` ${key}=${JSON.stringify(value)}`;
  }
  return line;
}

/** The notebook as a percent-format script (sources exact; outputs are not part of a script). */
export function notebookToPercentScript(nb: NotebookJSON): string {
  const chunks: string[][] = [];
  if (nb.metadata.kernelspec) chunks.push(headerLines(nb.metadata.kernelspec));
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code' && cell.cell_type !== 'markdown' && cell.cell_type !== 'raw') continue;
    let body = cell.source === '' ? [] : cell.source.split('\n');
    if (cell.cell_type !== 'code') body = body.map(commentLine);
    chunks.push([markerLine(cell), ...body.map(escapeLine)]);
  }
  return chunks.length === 0 ? '' : chunks.map((c) => c.join('\n')).join('\n\n') + '\n';
}

/** End index (exclusive) of the JSON value starting at `i`, or -1. */
function jsonValueEnd(s: string, i: number): number {
  if (s[i] === '"' || s[i] === '{' || s[i] === '[') {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const c = s[j];
      if (c === '"') {
        for (j++; j < s.length && s[j] !== '"'; j++) if (s[j] === '\\') j++;
        if (j >= s.length) return -1;
        if (depth === 0) return j + 1;
      } else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') { depth--; if (depth === 0) return j + 1; }
    }
    return -1;
  }
  const m = /^[^\s]+/.exec(s.slice(i));
  return m ? i + m[0].length : -1;
}

/** `key=<JSON>` pairs after the marker; anything else (a cell title) yields no metadata. */
function parseMarkerOptions(text: string): CellMetadata {
  const metadata: CellMetadata = {};
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i >= text.length) break;
    const m = /^([A-Za-z_][A-Za-z0-9_.-]*)=/.exec(text.slice(i));
    if (!m) return {};
    const start = i + m[0].length;
    const end = jsonValueEnd(text, start);
    if (end < 0) return {};
    try {
      metadata[m[1]] = JSON.parse(text.slice(start, end)) as JSONValue;
    } catch {
      return {};
    }
    i = end;
  }
  return metadata;
}

function parseMarker(line: string): { cellType: CellType; metadata: CellMetadata } {
  const rest = line.replace(/\r$/, '').replace(MARKER, '');
  const m = /^\s*\[(\w+)\](.*)$/.exec(rest);
  const tag = m?.[1].toLowerCase();
  const cellType: CellType = tag === 'markdown' || tag === 'md' ? 'markdown' : tag === 'raw' ? 'raw' : 'code';
  return { cellType, metadata: parseMarkerOptions(m ? m[2] : rest) };
}

/** Kernelspec from a jupytext YAML header (`# ---` … `# ---`), and the line after it. */
function readHeader(lines: string[]): { kernelspec?: KernelspecJSON; next: number } {
  if (lines[0]?.replace(/\r$/, '') !== '# ---') return { next: 0 };
  const end = lines.findIndex((l, i) => i > 0 && l.replace(/\r$/, '') === '# ---');
  if (end < 0) return { next: 0 };
  const spec: Record<string, JSONValue> = {};
  let inKernelspec = false;
  for (const raw of lines.slice(1, end)) {
    const line = raw.replace(/\r$/, '').replace(/^#\s?/, '');
    const m = /^(\s*)([^:]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, indent, key, value] = m;
    if (indent.length === 2 && key === 'kernelspec') { inKernelspec = true; continue; }
    if (indent.length <= 2) { inKernelspec = false; continue; }
    if (!inKernelspec) continue;
    try {
      spec[key] = value.startsWith('"') ? JSON.parse(value) : value;
    } catch {
      spec[key] = value;
    }
  }
  const next = lines[end + 1] !== undefined && lines[end + 1].trim() === '' ? end + 2 : end + 1;
  const ok = typeof spec.name === 'string' && typeof spec.display_name === 'string';
  return { kernelspec: ok ? (spec as KernelspecJSON) : undefined, next };
}

function makeCell(cellType: CellType, lines: string[], metadata: CellMetadata, taken: Set<string>): CellJSON {
  let body = lines.map(unescapeLine);
  if (cellType !== 'code') body = body.map(uncommentLine);
  const source = body.join('\n');
  const id = mintCellId(taken);
  return cellType === 'code'
    ? { id, cell_type: 'code', metadata, source, outputs: [], execution_count: null }
    : { id, cell_type: cellType, metadata, source };
}

export interface PercentScriptOptions {
  /** Notebook metadata to use when the script has no header (e.g. the python3 kernelspec). */
  metadata?: NotebookMetadata;
}

/**
 * A notebook from a percent-format script. A script without `# %%` markers
 * becomes one code cell; a blank script becomes a notebook without cells.
 */
export function percentScriptToNotebook(text: string, options: PercentScriptOptions = {}): NotebookJSON {
  const lines = text === '' ? [] : text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop(); // the file's final newline
  const header = readHeader(lines);
  const metadata: NotebookMetadata = { ...(options.metadata ?? {}) };
  if (header.kernelspec) metadata.kernelspec = header.kernelspec;

  const markers: number[] = [];
  for (let i = header.next; i < lines.length; i++) if (MARKER.test(lines[i])) markers.push(i);
  const taken = new Set<string>();
  const cells: CellJSON[] = [];
  // Drop the one blank line that separates a body from the next marker.
  const bodyOf = (from: number, to: number, beforeMarker: boolean) => {
    const body = lines.slice(from, to);
    if (beforeMarker && body.length > 0 && body[body.length - 1].trim() === '') body.pop();
    return body;
  };

  const firstMarker = markers.length > 0 ? markers[0] : lines.length;
  const preamble = bodyOf(header.next, firstMarker, markers.length > 0);
  if (preamble.some((l) => l.trim() !== '') || (markers.length === 0 && preamble.length > 0)) {
    cells.push(makeCell('code', preamble, {}, taken));
  }
  markers.forEach((at, k) => {
    const next = k + 1 < markers.length ? markers[k + 1] : lines.length;
    const { cellType, metadata: cellMetadata } = parseMarker(lines[at]);
    cells.push(makeCell(cellType, bodyOf(at + 1, next, k + 1 < markers.length), cellMetadata, taken));
  });
  return { nbformat: 4, nbformat_minor: 5, metadata, cells };
}
