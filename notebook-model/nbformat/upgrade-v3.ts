// Upgrading an nbformat 3 file to 4.5, step for step as nbformat's own reader
// does it (nbformat/v3/rwbase.py rejoin_lines and strip_transient on read, then
// nbformat/v4/convert.py upgrade):
// - worksheets are flattened into one list of cells;
// - a code cell's `input` becomes `source`, `prompt_number` `execution_count`,
//   `collapsed` moves into its metadata and `language` goes;
// - a heading cell becomes a markdown cell "## text" (its lines joined by spaces),
//   an html cell a markdown cell;
// - outputs: pyout → execute_result, pyerr → error, stream's `stream` → `name`,
//   and the v3 short keys (text, html, png, …) become MIME types under `data`;
// - every cell gets a new id (4.5), notebook metadata loses `name` and `signature`.
// Unlike nbformat, which only logs that a v3 file is invalid and converts it anyway,
// an invalid file is refused here with every problem found: what it would turn
// into is not a notebook anyone wrote.
import { mintCellId } from './cell-ids';
import { NotebookFormatError } from './errors';
import { splitLinesKeepEnds } from './multiline';
import { describeError } from './schema-problems';
import { validatorFor } from './schema-validator';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** nbformat 3's short output keys and the MIME types they stand for (v4/convert.py _mime_map). */
const MIME_OF_ALIAS: [string, string][] = [
  ['text', 'text/plain'], ['html', 'text/html'], ['svg', 'image/svg+xml'], ['png', 'image/png'],
  ['jpeg', 'image/jpeg'], ['latex', 'text/latex'], ['json', 'application/json'], ['javascript', 'application/javascript'],
];

/** Output keys v3 files may keep as lists of lines (v3/rwbase.py _multiline_outputs). */
const MULTILINE_OUTPUT_KEYS = ['text', 'html', 'svg', 'latex', 'javascript', 'json'];

const CELL_DEFINITIONS: Record<string, string> = { code: 'code_cell', markdown: 'markdown_cell', html: 'markdown_cell', heading: 'heading_cell', raw: 'raw_cell' };
const OUTPUT_DEFINITIONS: Record<string, string> = { pyout: 'pyout', display_data: 'display_data', stream: 'stream', pyerr: 'pyerr' };

/** v3's join of a list of lines: kept ends are concatenated, lines split without ends get "\n" between them. */
function joinLines(lines: unknown): unknown {
  if (!Array.isArray(lines) || !lines.every((l) => typeof l === 'string')) return lines;
  const first = lines[0] as string | undefined;
  return first !== undefined && (first.endsWith('\n') || first.endsWith('\r')) ? lines.join('') : lines.join('\n');
}

function sentences(errors: Parameters<typeof describeError>[0][], root: unknown, prefix: string, subject: string): string[] {
  return errors.map((e) => describeError(e, root, prefix, subject));
}

function typedProblems(item: unknown, kind: 'cell_type' | 'output_type', definitions: Record<string, string>, prefix: string): string[] {
  if (!isObj(item)) return [`${prefix}must be an object`];
  const type = item[kind];
  const definition = typeof type === 'string' ? definitions[type] : undefined;
  if (!definition) {
    return [`${prefix}unknown ${kind} ${JSON.stringify(type)} (expected ${Object.keys(definitions).map((t) => `"${t}"`).join(', ')})`];
  }
  const validate = validatorFor('3.0', definition);
  const valid: boolean = validate(item); // not a type guard: the item is read below
  if (valid) return [];
  const problems: string[] = [];
  const outputsSeen = new Set<number>();
  for (const e of validate.errors ?? []) {
    const m = /^\/outputs\/(\d+)(\/|$)/.exec(e.instancePath);
    if (m && kind === 'cell_type') {
      const i = Number(m[1]);
      if (!outputsSeen.has(i)) { outputsSeen.add(i); problems.push(...typedProblems((item.outputs as unknown[])[i], 'output_type', OUTPUT_DEFINITIONS, `${prefix}output ${i + 1}: `)); }
      continue;
    }
    problems.push(...sentences([e], item, prefix, prefix.replace(/: $/, '')));
  }
  return problems;
}

/** Every problem of a v3 notebook against the official 3.0 schema, cells numbered from 1 across worksheets. */
function v3Problems(nb: Obj): string[] {
  const validate = validatorFor('3.0');
  const valid: boolean = validate(nb); // not a type guard: the notebook is read below
  if (valid) return [];
  const worksheets = Array.isArray(nb.worksheets) ? nb.worksheets : [];
  const cellNumber = (w: number, c: number) => worksheets.slice(0, w).reduce((n: number, ws) => n + (isObj(ws) && Array.isArray(ws.cells) ? ws.cells.length : 0), 0) + c + 1;
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    const m = /^\/worksheets\/(\d+)\/cells\/(\d+)(\/|$)/.exec(e.instancePath);
    if (m) {
      const [w, c] = [Number(m[1]), Number(m[2])];
      if (seen.has(`${w}/${c}`)) continue;
      seen.add(`${w}/${c}`);
      problems.push(...typedProblems((worksheets[w] as { cells: unknown[] }).cells[c], 'cell_type', CELL_DEFINITIONS, `cell ${cellNumber(w, c)}: `));
      continue;
    }
    problems.push(...sentences([e], nb, '', 'the notebook'));
  }
  const unique = [...new Set(problems)];
  return unique.length > 0 ? unique : ['the notebook does not match the nbformat 3 schema'];
}

/** Renames v3's short keys to MIME types in place (v4/convert.py to_mime_key). */
function toMimeKeys(bundle: Obj): Obj {
  for (const [alias, mime] of MIME_OF_ALIAS) {
    if (alias in bundle) { bundle[mime] = bundle[alias]; delete bundle[alias]; }
  }
  return bundle;
}

function upgradeOutput(source: Obj, where: string): Obj {
  const output: Obj = { ...source };
  for (const key of MULTILINE_OUTPUT_KEYS) if (key in output) output[key] = joinLines(output[key]);
  const type = output.output_type;
  if (type === 'pyout' || type === 'display_data') {
    const upgraded: Obj = { output_type: type === 'pyout' ? 'execute_result' : 'display_data' };
    if (type === 'pyout') upgraded.execution_count = output.prompt_number ?? null;
    upgraded.metadata = toMimeKeys(isObj(output.metadata) ? { ...output.metadata } : {});
    const data: Obj = {};
    for (const [key, value] of Object.entries(output)) {
      if (key !== 'output_type' && key !== 'prompt_number' && key !== 'metadata') data[key] = value;
    }
    toMimeKeys(data);
    if (typeof data['application/json'] === 'string') {
      try {
        data['application/json'] = JSON.parse(data['application/json']);
      } catch {
        throw new NotebookFormatError([`${where}: its "json" output is not JSON`], 'This nbformat 3 notebook is not valid');
      }
    }
    upgraded.data = data;
    return upgraded;
  }
  if (type === 'pyerr') return { ...output, output_type: 'error' };
  if (type === 'stream') {
    const { stream, ...rest } = output;
    return { ...rest, name: stream ?? 'stdout' };
  }
  return output;
}

/** Python's str.splitlines() (no line ends kept). */
const linesWithoutEnds = (text: string) => splitLinesKeepEnds(text).map((l) => l.replace(/(\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029])$/, ''));

function upgradeCell(source: Obj, taken: Set<string>, number: number): Obj {
  const { trusted: _trusted, ...rest } = source;
  const metadata = isObj(rest.metadata) ? { ...rest.metadata } : {};
  delete metadata.trusted;
  const id = mintCellId(taken);
  if (rest.cell_type === 'code') {
    const { language: _language, collapsed, input, prompt_number, outputs, ...other } = rest;
    if (collapsed !== undefined) metadata.collapsed = collapsed;
    return {
      ...other, id, metadata,
      source: joinLines(input) ?? '',
      execution_count: prompt_number ?? null,
      outputs: (outputs as Obj[]).map((o, i) => upgradeOutput(o, `cell ${number} output ${i + 1}`)),
    };
  }
  const text = joinLines(rest.source);
  if (rest.cell_type === 'heading') {
    const { level, ...other } = rest;
    const hashes = '#'.repeat(typeof level === 'number' ? level : 1);
    return { ...other, id, metadata, cell_type: 'markdown', source: `${hashes} ${linesWithoutEnds(typeof text === 'string' ? text : '').join(' ')}` };
  }
  return { ...rest, id, metadata, source: text, cell_type: rest.cell_type === 'html' ? 'markdown' : rest.cell_type };
}

/**
 * The 4.5 form of a parsed nbformat 3 file, as nbformat.convert(nb, 4) gives it
 * (before the 4.5 reader's own checks, which still apply).
 * @throws NotebookFormatError listing every way the file breaks the 3.0 schema.
 */
export function upgradeV3(raw: Obj): Obj {
  // strip_transient runs before nbformat validates, so these never count against a file.
  const { orig_nbformat: _o, orig_nbformat_minor: _om, ...nb } = raw;
  const stripped = !Array.isArray(nb.worksheets) ? nb : {
    ...nb,
    worksheets: nb.worksheets.map((ws) => (isObj(ws) && Array.isArray(ws.cells)
      ? { ...ws, cells: ws.cells.map((c) => {
        if (!isObj(c)) return c;
        const { trusted: _t, ...cell } = c;
        return isObj(cell.metadata) && 'trusted' in cell.metadata ? { ...cell, metadata: Object.fromEntries(Object.entries(cell.metadata).filter(([k]) => k !== 'trusted')) } : cell;
      }) }
      : ws)),
  };
  const problems = v3Problems(stripped);
  if (problems.length > 0) throw new NotebookFormatError(problems, 'This nbformat 3 notebook is not valid');

  const taken = new Set<string>();
  const cells: Obj[] = [];
  for (const ws of stripped.worksheets as { cells: Obj[] }[]) for (const cell of ws.cells) cells.push(upgradeCell(cell, taken, cells.length + 1));
  const { name: _name, signature: _signature, ...metadata } = stripped.metadata as Obj;
  const { worksheets: _w, ...top } = stripped;
  return { ...top, metadata, nbformat: 4, nbformat_minor: 5, cells };
}
