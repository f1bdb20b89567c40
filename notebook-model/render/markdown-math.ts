// TeX math in markdown, the way Jupyter notebooks write it, rendered by KaTeX:
//   $...$            inline math; pandoc's rule so prices stay text: the opening
//                    `$` is not followed by a space, the closing one is not
//                    preceded by a space nor followed by a digit ("$5 and $6").
//   $$...$$          display math, inline in a paragraph or as a block of lines
//   \begin{env}...\end{env}  a display environment on lines of its own
// Code spans and fences win (their rules see the backtick first), `\$` is a
// literal dollar, and math content is passed to KaTeX raw (no markdown escapes).
// KaTeX output is HTML with MathML; errors render as KaTeX's red error text
// instead of throwing, so one bad formula never blanks a cell.
import katex from 'katex';
import MarkdownIt, { type MarkdownIt as Markdown } from 'markdown-it';
import type { StateBlock, StateInline } from 'markdown-it';

const DOLLAR = 0x24;
const BACKSLASH = 0x5c;

/** TeX rendered by KaTeX; never throws. */
export function texToHtml(tex: string, displayMode: boolean): string {
  return katex.renderToString(tex, { displayMode, throwOnError: false, strict: false, output: 'htmlAndMathml' });
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Index of the next unescaped `$$` at or after `from`, or -1. */
function findDoubleDollar(src: string, from: number, max: number): number {
  for (let i = from; i < max - 1; i++) {
    const code = src.charCodeAt(i);
    if (code === BACKSLASH) { i++; continue; }
    if (code === DOLLAR && src.charCodeAt(i + 1) === DOLLAR) return i;
  }
  return -1;
}

function mathInline(state: StateInline, silent: boolean): boolean {
  const { src, posMax } = state;
  const start = state.pos;
  if (src.charCodeAt(start) !== DOLLAR) return false;

  if (src.charCodeAt(start + 1) === DOLLAR) {
    const close = findDoubleDollar(src, start + 2, posMax);
    if (close < 0) return false;
    const content = src.slice(start + 2, close);
    if (!content.trim()) return false;
    if (!silent) {
      const token = state.push('math_inline_display', 'math', 0);
      token.content = content;
      token.markup = '$$';
    }
    state.pos = close + 2;
    return true;
  }

  if (start + 1 >= posMax || isSpace(src.charCodeAt(start + 1))) return false;
  for (let i = start + 1; i < posMax; i++) {
    const code = src.charCodeAt(i);
    if (code === BACKSLASH) { i++; continue; }
    if (code !== DOLLAR) continue;
    if (isSpace(src.charCodeAt(i - 1))) return false;
    if (i + 1 < posMax && isDigit(src.charCodeAt(i + 1))) return false;
    if (!silent) {
      const token = state.push('math_inline', 'math', 0);
      token.content = src.slice(start + 1, i);
      token.markup = '$';
    }
    state.pos = i + 1;
    return true;
  }
  return false;
}

function lineText(state: StateBlock, line: number): string {
  return state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]);
}

// Where a closer is known to be missing, per parse: `closer, block indent, end line` to the first line
// from which a scan to the end line found none. Without it, a cell of thousands of openers that never close
// rescans the rest of the cell for each one (quadratic: 20,000 such lines took 16 s).
const noCloserFrom = new WeakMap<StateBlock, Map<string, number>>();

/** A display block: `$$` or `\begin{env}` at the start of a line, up to the line that closes it. */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const first = lineText(state, startLine);
  let opener: string;
  let closer: string;
  let keepDelimiters: boolean;
  if (first.startsWith('$$')) {
    opener = '$$';
    closer = '$$';
    keepDelimiters = false;
  } else {
    const env = /^\\begin\{([A-Za-z]+\*?)\}/.exec(first);
    if (!env) return false;
    opener = env[0];
    closer = `\\end{${env[1]}}`;
    keepDelimiters = true;
  }

  const afterOpener = first.slice(opener.length);
  let lastLine = startLine;
  let body: string;
  const sameLineClose = afterOpener.indexOf(closer);
  if (sameLineClose >= 0) {
    // One-line block: only when nothing follows the closer (else it is inline math in a paragraph).
    if (afterOpener.slice(sameLineClose + closer.length).trim()) return false;
    body = afterOpener.slice(0, sameLineClose);
  } else {
    const known = noCloserFrom.get(state) ?? new Map<string, number>();
    noCloserFrom.set(state, known);
    const key = `${closer}\n${state.blkIndent}\n${endLine}`;
    if (startLine + 1 >= (known.get(key) ?? Infinity)) return false;
    let closeLine = -1;
    let closeAt = -1;
    let line = startLine + 1;
    for (; line < endLine; line++) {
      if (state.sCount[line] < state.blkIndent && state.bMarks[line] + state.tShift[line] < state.eMarks[line]) break;
      const text = lineText(state, line);
      const at = text.indexOf(closer);
      if (at >= 0) {
        if (text.slice(at + closer.length).trim()) return false;
        closeLine = line;
        closeAt = at;
        break;
      }
    }
    if (closeLine < 0) {
      if (line === endLine) known.set(key, Math.min(known.get(key) ?? Infinity, startLine + 1));
      return false;
    }
    lastLine = closeLine;
    const middle = state.getLines(startLine + 1, closeLine, state.blkIndent, true);
    body = `${afterOpener}\n${middle}${lineText(state, closeLine).slice(0, closeAt)}`;
  }
  if (!body.trim()) return false;
  if (silent) return true;

  const token = state.push('math_block', 'math', 0);
  token.block = true;
  token.content = keepDelimiters ? `${opener}${body}${closer}` : body;
  token.markup = opener;
  token.map = [startLine, lastLine + 1];
  state.line = lastLine + 1;
  return true;
}

/**
 * Where rendered formulas wait while raw HTML is sanitized. KaTeX's output is
 * ours and safe, but HTML sanitizers strip parts of its MathML; so with raw HTML
 * on, each formula is a placeholder until after sanitizing (fillMathSlots).
 * A forged placeholder in the source can only repeat one of the cell's formulas.
 */
export interface MathSlots {
  prefix: string;
  html: string[];
}

export function newMathSlots(): MathSlots {
  return { prefix: `m${Math.random().toString(36).slice(2, 10)}-`, html: [] };
}

export function fillMathSlots(html: string, slots: MathSlots): string {
  if (slots.html.length === 0) return html;
  const placeholder = new RegExp(`<span data-math-slot="${slots.prefix}(\\d+)"></span>`, 'g');
  return html.replace(placeholder, (_, index: string) => slots.html[Number(index)] ?? '');
}

function emit(html: string, env: unknown): string {
  const slots = (env as { mathSlots?: MathSlots } | undefined)?.mathSlots;
  if (!slots) return html;
  slots.html.push(html);
  return `<span data-math-slot="${slots.prefix}${slots.html.length - 1}"></span>`;
}

/** markdown-it plugin adding `$`, `$$` and `\begin{env}` math rendered by KaTeX (deferred when `env.mathSlots` is set). */
export function markdownMath(md: Markdown): void {
  md.inline.ruler.after('escape', 'math_inline', mathInline);
  md.block.ruler.before('fence', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.renderer.rules.math_inline = (tokens, idx, _opts, env) => emit(texToHtml(tokens[idx].content, false), env);
  md.renderer.rules.math_inline_display = (tokens, idx, _opts, env) => emit(texToHtml(tokens[idx].content, true), env);
  md.renderer.rules.math_block = (tokens, idx, _opts, env) =>
    `<div class="math-block">${emit(texToHtml(tokens[idx].content, true), env)}</div>\n`;
}

/**
 * A `text/latex` output as HTML. IPython sends either one formula wrapped in
 * `$$`, `\[`, `$` (or a bare `\begin{env}`), shown as display math, or prose with
 * `$...$` pieces, shown as escaped text with its math rendered.
 */
export function latexToHtml(source: string): string {
  const tex = source.trim();
  const wrapped = /^\$\$([\s\S]+)\$\$$/.exec(tex) ?? /^\\\[([\s\S]+)\\\]$/.exec(tex) ?? /^\$([^$]+)\$$/.exec(tex);
  if (wrapped) return texToHtml(wrapped[1], true);
  if (/^\\begin\{/.test(tex)) return texToHtml(tex, true);
  return latexProse().renderInline(source);
}

let prose: Markdown | undefined;
function latexProse(): Markdown {
  // Only text, backslash escapes and math: the rest of a text/latex payload is not markdown.
  prose ??= new MarkdownIt('zero').enable('escape').use(markdownMath);
  return prose;
}
