// IPython syntax in a Python cell, made plain Python for static analysis. Lines
// IPython rewrites before Python sees them (`%magic`, `!shell`, `obj?`, `x = !ls`)
// become `pass` (or `x = None`) with their indentation kept, so the rest of the
// cell still parses and line numbers stay put. A cell magic (`%%name` first line)
// makes the cell another language, except the few whose body is ordinary Python
// run in the user's namespace.

/** Cell magics whose body is Python run in the user namespace (analysed as Python). */
export const pythonCellMagics = new Set(['time', 'timeit', 'capture', 'prun']);

export interface PlainPython {
  /** The source with IPython-only lines replaced; undefined when the cell is not Python at all. */
  source: string | undefined;
  /** True when any line was replaced. */
  changed: boolean;
}

const lineMagic = /^(\s*)[%!]/;
const assignedMagic = /^(\s*)([A-Za-z_][\w]*(?:\s*,\s*[A-Za-z_][\w]*)*)\s*=\s*[%!]/;
const help = /^(\s*)(?:\?\??[\w.]*|[\w.]+\?\??)\s*$/;

export function plainPython(source: string): PlainPython {
  const lines = source.split('\n');
  let changed = false;
  if (/^\s*%%/.test(lines[0] ?? '')) {
    const name = /^\s*%%\s*(\w+)/.exec(lines[0])?.[1] ?? '';
    if (!pythonCellMagics.has(name)) return { source: undefined, changed: true };
    lines[0] = '';
    changed = true;
  }
  const continues = continuationLines(lines);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // A line inside brackets, a string or after a backslash continues a statement: `% x` there is Python.
    if (continues[i]) continue;
    let m = assignedMagic.exec(line);
    if (m) {
      lines[i] = `${m[1]}${m[2]} = None`;
      changed = true;
      continue;
    }
    m = lineMagic.exec(line) ?? help.exec(line);
    if (m && (line.trim() !== '' && !line.trim().startsWith('#'))) {
      lines[i] = `${m[1]}pass`;
      changed = true;
    }
  }
  return { source: lines.join('\n'), changed };
}

/**
 * For each line, whether it continues the statement of the line before (open
 * bracket, open triple-quoted string, or a trailing backslash). A small scanner:
 * strings and comments are skipped so their brackets do not count.
 */
function continuationLines(lines: string[]): boolean[] {
  const out: boolean[] = [];
  let depth = 0;
  let triple: string | undefined;
  let backslash = false;
  for (const line of lines) {
    out.push(depth > 0 || triple !== undefined || backslash);
    backslash = false;
    let i = 0;
    while (i < line.length) {
      const c = line[i];
      if (triple) {
        if (c === '\\') { i += 2; continue; }
        if (line.startsWith(triple, i)) { i += 3; triple = undefined; continue; }
        i++;
        continue;
      }
      if (c === '#') break;
      if (c === '"' || c === "'") {
        if (line.startsWith(c.repeat(3), i)) { triple = c.repeat(3); i += 3; continue; }
        i++;
        while (i < line.length && line[i] !== c) i += line[i] === '\\' ? 2 : 1;
        i++;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
      else if (c === '\\' && i === line.length - 1) backslash = true;
      i++;
    }
  }
  return out;
}
