// The file form ↔ normalized form of multiline strings, by nbformat's own rules
// (nbformat/v4/rwbase.py: rejoin_lines on read, split_lines on write):
// - read: cell source, stream text and every non-JSON MIME value that is a list
//   of strings are joined into one string;
// - write: cell source, stream text, and `text/*`, `application/javascript`,
//   `image/svg+xml` MIME values are split with Python's str.splitlines(True);
//   other MIME values (image/png, JSON types) are written as they are.
// Both directions touch code-cell outputs only, and attachments of any cell.

/** Python's `str.splitlines(keepends=True)`: the same set of line boundaries, kept on each line. */
export function splitLinesKeepEnds(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // \n \v \f \r, \x1c-\x1e, \x85, \u2028, \u2029 all end a line in Python.
    if (c === 10 || c === 11 || c === 12 || c === 13 || (c >= 0x1c && c <= 0x1e) || c === 0x85 || c === 0x2028 || c === 0x2029) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      lines.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

const splitNonTextMimes = new Set(['application/javascript', 'image/svg+xml']);

function shouldSplitMime(mime: string): boolean {
  return mime.startsWith('text/') || splitNonTextMimes.has(mime);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function rejoinBundle(bundle: unknown): unknown {
  if (!isObj(bundle)) return bundle;
  const out: Obj = {};
  for (const [mime, value] of Object.entries(bundle)) {
    out[mime] = !isJsonMime(mime) && isStringList(value) ? value.join('') : value;
  }
  return out;
}

function splitBundle(bundle: unknown): unknown {
  if (!isObj(bundle)) return bundle;
  const out: Obj = {};
  for (const [mime, value] of Object.entries(bundle)) {
    out[mime] = typeof value === 'string' && shouldSplitMime(mime) ? splitLinesKeepEnds(value) : value;
  }
  return out;
}

function mapAttachments(attachments: unknown, f: (b: unknown) => unknown): unknown {
  if (!isObj(attachments)) return attachments;
  const out: Obj = {};
  for (const [name, bundle] of Object.entries(attachments)) out[name] = f(bundle);
  return out;
}

/** A copy of a file-form cell with its multiline strings joined (the input is not modified). */
export function rejoinCell(cell: Obj): Obj {
  const out: Obj = { ...cell };
  if (isStringList(out.source)) out.source = out.source.join('');
  if ('attachments' in out) out.attachments = mapAttachments(out.attachments, rejoinBundle);
  if (out.cell_type === 'code' && Array.isArray(out.outputs)) {
    out.outputs = out.outputs.map((o: unknown) => {
      if (!isObj(o)) return o;
      if (o.output_type === 'execute_result' || o.output_type === 'display_data') {
        return 'data' in o ? { ...o, data: rejoinBundle(o.data) } : o;
      }
      return o.output_type && Array.isArray(o.text) ? { ...o, text: (o.text as string[]).join('') } : o;
    });
  }
  return out;
}

/** A copy of a normalized cell with its multiline strings split as nbformat writes them. */
export function splitCell(cell: Obj): Obj {
  const out: Obj = { ...cell };
  if (typeof out.source === 'string') out.source = splitLinesKeepEnds(out.source);
  if ('attachments' in out) out.attachments = mapAttachments(out.attachments, splitBundle);
  if (out.cell_type === 'code' && Array.isArray(out.outputs)) {
    out.outputs = out.outputs.map((o: unknown) => {
      if (!isObj(o)) return o;
      if (o.output_type === 'execute_result' || o.output_type === 'display_data') {
        return 'data' in o ? { ...o, data: splitBundle(o.data) } : o;
      }
      return o.output_type === 'stream' && typeof o.text === 'string' ? { ...o, text: splitLinesKeepEnds(o.text) } : o;
    });
  }
  return out;
}
