// Terminal text (stream output, IPython tracebacks) to HTML: ANSI SGR colours and
// styles become spans; everything else is escaped text. The text is escaped here,
// chunk by chunk, after anser has split it at escape codes, so no byte of kernel
// output can become markup. The 16 basic colours are classes (render.css holds
// Jupyter's palette for them); 256-colour and true-colour codes are inline rgb().
import Anser from 'anser';

interface AnserChunk {
  content: string;
  fg: string | null;
  bg: string | null;
  fg_truecolor: string | null;
  bg_truecolor: string | null;
  decorations: string[];
  isInverted?: boolean;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

/** HTML for text that may carry ANSI escape codes; safe to insert as innerHTML of a <pre>. */
export function ansiToHtml(text: string): string {
  if (!text.includes('\x1b')) return escapeHtml(text);
  const chunks = Anser.ansiToJson(text, { use_classes: true, remove_empty: true }) as unknown as AnserChunk[];
  let html = '';
  for (const chunk of chunks) {
    const content = escapeHtml(chunk.content);
    const classes: string[] = [];
    const styles: string[] = [];
    colour(chunk.fg, chunk.fg_truecolor, 'fg', 'color', classes, styles);
    colour(chunk.bg, chunk.bg_truecolor, 'bg', 'background-color', classes, styles);
    for (const decoration of chunk.decorations ?? []) {
      if (/^[a-z]+$/.test(decoration)) classes.push(`ansi-${decoration}`);
    }
    if (classes.length === 0 && styles.length === 0) {
      html += content;
      continue;
    }
    const classAttr = classes.length ? ` class="${classes.join(' ')}"` : '';
    const styleAttr = styles.length ? ` style="${styles.join(';')}"` : '';
    html += `<span${classAttr}${styleAttr}>${content}</span>`;
  }
  return html;
}

/** Plain text of terminal output (escape codes dropped). */
export function ansiToText(text: string): string {
  return text.includes('\x1b') ? Anser.ansiToText(text) : text;
}

function colour(
  value: string | null,
  truecolor: string | null,
  layer: 'fg' | 'bg',
  property: string,
  classes: string[],
  styles: string[],
): void {
  if (!value) return;
  if (value === 'ansi-truecolor') {
    const rgb = truecolor && /^\d{1,3}, \d{1,3}, \d{1,3}$/.test(truecolor) ? truecolor : undefined;
    if (rgb) styles.push(`${property}:rgb(${rgb})`);
    return;
  }
  const palette = /^ansi-palette-(\d{1,3})$/.exec(value);
  if (palette) {
    styles.push(`${property}:${xtermColour(Number(palette[1]))}`);
    return;
  }
  if (/^ansi-[a-z-]+$/.test(value)) classes.push(`${value}-${layer}`);
}

/** The xterm 256-colour palette entries 16..255 (0..15 are the named classes). */
export function xtermColour(index: number): string {
  if (index >= 232) {
    const level = 8 + (index - 232) * 10;
    return `rgb(${level}, ${level}, ${level})`;
  }
  const cube = index - 16;
  const step = (n: number) => (n === 0 ? 0 : 55 + n * 40);
  return `rgb(${step(Math.floor(cube / 36) % 6)}, ${step(Math.floor(cube / 6) % 6)}, ${step(cube % 6)})`;
}
