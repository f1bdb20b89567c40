// JSON text exactly as Python's `json.dumps(value, indent=1, sort_keys=True,
// separators=(",", ": "), ensure_ascii=False)` writes it, which is how nbformat
// writes notebook files. Byte-identical output keeps diffs of notebooks edited
// in Cellmate and in Jupyter clean.
//
// Points where JavaScript's defaults differ from Python and are handled here:
// - keys sort by Unicode code point (JS sorts by UTF-16 unit);
// - floats print as Python's repr (1e-05, 1e+16, 0.0001);
// - integral values print as ints below 1e21 and as floats above (as the
//   exponent form JSON.stringify uses there reads back in Python).
// One difference cannot be recovered after JSON.parse: an integral float
// written by Python as `1.0` comes back as the integer `1`.

/** Python's key order: by code point. Equal to UTF-16 order except across surrogates. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800–DFFF) encode code points above FFFF, so they must sort after E000–FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** A number as Python's json module writes it (int for integral values below 1e21, else float repr). */
export function pythonNumber(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  // JSON.stringify writes integers from 1e21 up in exponent form, which Python reads as a float.
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return String(x);
  // toExponential() gives the shortest round-trip digits, the same digits Python's repr uses.
  const [mantissa, exp] = x.toExponential().split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const decpt = Number(exp) + 1; // value = 0.DIGITS × 10^decpt
  let body: string;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) body = '0.' + '0'.repeat(-decpt) + digits;
    else if (decpt >= digits.length) body = digits + '0'.repeat(decpt - digits.length) + '.0';
    else body = digits.slice(0, decpt) + '.' + digits.slice(decpt);
  } else {
    const e = decpt - 1;
    const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    body = m + 'e' + (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(2, '0');
  }
  return negative ? '-' + body : body;
}

/** Serialize like Python's json.dumps with nbformat's settings (indent 1, sorted keys). */
export function pythonJsonDumps(value: unknown): string {
  const out: string[] = [];
  write(value, '', out);
  return out.join('');
}

function write(value: unknown, indent: string, out: string[]): void {
  if (value === null || value === undefined) { out.push('null'); return; }
  switch (typeof value) {
    case 'string': out.push(JSON.stringify(value)); return;
    case 'number': out.push(pythonNumber(value)); return;
    case 'boolean': out.push(value ? 'true' : 'false'); return;
    case 'object': break;
    default: throw new TypeError(`cannot write a ${typeof value} as JSON`);
  }
  const inner = indent + ' ';
  if (Array.isArray(value)) {
    if (value.length === 0) { out.push('[]'); return; }
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      out.push(i === 0 ? '\n' : ',\n', inner);
      write(value[i], inner, out);
    }
    out.push('\n', indent, ']');
    return;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort(compareCodePoints);
  if (keys.length === 0) { out.push('{}'); return; }
  out.push('{');
  for (let i = 0; i < keys.length; i++) {
    out.push(i === 0 ? '\n' : ',\n', inner, JSON.stringify(keys[i]), ': ');
    write(obj[keys[i]], inner, out);
  }
  out.push('\n', indent, '}');
}
