// Where a JSON text stops being JSON, as a line and column a user can jump to.
// JSON.parse does the real parsing; this scanner runs only after it failed,
// because V8's messages often give no position ("Unexpected token '}', ...").

export interface JsonSyntaxProblem {
  /** What went wrong, e.g. `Unexpected token "}"`. */
  message: string;
  line: number;
  column: number;
}

class Stop extends Error {
  constructor(readonly offset: number, readonly what: string) { super(what); }
}

function scan(text: string): void {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const fail = (what?: string): never => {
    throw new Stop(i, what ?? (i >= text.length ? 'Unexpected end of input' : `Unexpected token ${JSON.stringify(text[i])}`));
  };
  const literal = (word: string) => { if (text.startsWith(word, i)) i += word.length; else fail(); };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('Unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) { i++; return; }
      if (c < 0x20) fail('Control character in string (write it as an escape such as \\n)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) { i++; fail('Bad \\u escape in string'); } i += 6; continue; }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) { i++; fail('Bad escape in string'); }
        i += 2;
        continue;
      }
      i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(i < text.length ? `Expected a property name in double quotes, found ${JSON.stringify(text[i])}` : undefined);
        string(); ws();
        if (text[i] !== ':') fail(`Expected ":" after property name`);
        i++; value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail(i < text.length ? `Expected "," or "}" after property value, found ${JSON.stringify(text[i])}` : undefined);
      }
    }
    if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail(i < text.length ? `Expected "," or "]" after array item, found ${JSON.stringify(text[i])}` : undefined);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    fail();
  };
  value(); ws();
  if (i < text.length) fail(`Unexpected ${JSON.stringify(text[i])} after the end of the JSON value`);
}

/** The first syntax problem of `text`, or undefined if the scanner finds none. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  try {
    scan(text);
    return undefined;
  } catch (e) {
    if (!(e instanceof Stop)) return undefined;
    const before = text.slice(0, e.offset);
    const line = before.split('\n').length;
    const column = e.offset - (before.lastIndexOf('\n') + 1) + 1;
    return { message: e.what, line, column };
  }
}
