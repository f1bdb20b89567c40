// Appending to a stream output the way a terminal shows it: a lone carriage
// return sends the cursor back to the start of the line (progress bars redraw in
// place instead of piling up), a backspace removes the character before it.
import type * as Y from 'yjs';

/** Appends `addition` to a stream's Y.Text, resolving \r and \b against its last line. */
export function appendStreamText(text: Y.Text, addition: string): void {
  if (!addition) return;
  if (!/[\r\b]/.test(addition)) {
    text.insert(text.length, addition);
    return;
  }
  const current = text.toString();
  const lineStart = current.lastIndexOf('\n') + 1;
  const tail = resolveTerminalText(current.slice(lineStart) + addition);
  // Keep the unchanged prefix of the last line, so the edit stays small.
  const old = current.slice(lineStart);
  let common = 0;
  while (common < old.length && common < tail.length && old[common] === tail[common]) common++;
  if (common < old.length) text.delete(lineStart + common, old.length - common);
  if (common < tail.length) text.insert(lineStart + common, tail.slice(common));
}

/** Applies \r (line reset, unless part of \r\n) and \b to a piece of text. */
export function resolveTerminalText(input: string): string {
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch === '\n') {
      lines.push(line);
      line = '';
    } else if (ch === '\r') {
      if (input[i + 1] === '\n') continue; // \r\n is a plain line break
      line = '';
    } else if (ch === '\b') {
      line = line.slice(0, -1);
    } else {
      line += ch;
    }
  }
  lines.push(line);
  return lines.join('\n');
}
