// Markdown cells to HTML: CommonMark + GitHub tables and strikethrough + bare-URL
// links + TeX math (KaTeX), as Jupyter renders them. Pure and synchronous, so the
// live editor, server-rendered published pages and the static HTML export all
// produce the same markup from the same source.
//
// Raw HTML is legal in Jupyter markdown. It is only ever emitted sanitized,
// by sanitize-html.ts, the same in a browser, on the server and in the CLI, so
// the editor, published pages and the export show the same thing (or, on
// request, escaped and shown as text). markdown-it's own output is safe by
// construction (it escapes text and refuses javascript:/vbscript: links).
//
// Also: headings get Jupyter's ids (text with spaces as dashes, so `#My-Section`
// links in existing notebooks keep working) and a ¶ anchor; links to other pages
// open in a new tab with rel=noopener; `attachment:name` images come from the
// cell's attachments as data: URLs.
import MarkdownIt, { type MarkdownIt as Markdown } from 'markdown-it';
import type { StateCore, Token } from 'markdown-it';
import { fillMathSlots, markdownMath, newMathSlots, type MathSlots } from './markdown-math';
import { imageDataUrl } from './mime-priority';
import { sanitizeHtml } from './sanitize-html';

/** A markdown/raw cell's `attachments`: file name to MIME bundle (base64 values). */
export type CellAttachments = Record<string, Record<string, string | string[]>>;

export interface MarkdownOptions {
  /**
   * What happens to raw HTML in the source:
   *  - 'sanitize' (the default): kept, then the result is cleaned by sanitize-html.ts;
   *  - 'escape': shown as text;
   *  - a function: kept, and the whole rendered HTML is passed through it.
   */
  rawHtml?: 'sanitize' | 'escape' | ((html: string) => string);
}

type RenderEnv = {
  attachments?: CellAttachments;
  usedIds: Map<string, number>;
  mathSlots?: MathSlots;
};

const ATTACHMENT_PREFIX = 'attachment:';

/** Renders a markdown cell's source to HTML that is safe to insert into the page. */
export function markdownToHtml(source: string, attachments?: CellAttachments, options: MarkdownOptions = {}): string {
  const mode = options.rawHtml ?? 'sanitize';
  const env: RenderEnv = { attachments, usedIds: new Map() };
  if (mode === 'escape') return renderer(false).render(source, env);
  const slots = newMathSlots();
  env.mathSlots = slots;
  const html = renderer(true).render(source, env);
  const clean = typeof mode === 'function'
    ? mode(html)
    : sanitizeHtml(html, { mathSlots: true, imageSrc: (src) => attachmentUrl(src, attachments) });
  return fillMathSlots(clean, slots);
}

/** Jupyter's heading id: the heading's text with spaces as dashes. */
export function headingId(text: string): string {
  return text.trim().replace(/\s+/g, '-');
}

/** The data: URL for `attachment:name`, or undefined if the cell has no such attachment. */
export function attachmentUrl(src: string, attachments: CellAttachments | undefined): string | undefined {
  if (!src.startsWith(ATTACHMENT_PREFIX) || !attachments) return undefined;
  let name = src.slice(ATTACHMENT_PREFIX.length);
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape: look the name up as written.
  }
  const bundle = Object.prototype.hasOwnProperty.call(attachments, name) ? attachments[name] : undefined;
  if (!bundle) return undefined;
  for (const [mime, value] of Object.entries(bundle)) {
    const url = imageDataUrl(mime, value);
    if (url) return url;
  }
  return undefined;
}

const renderers = new Map<boolean, Markdown>();
function renderer(rawHtml: boolean): Markdown {
  let md = renderers.get(rawHtml);
  if (!md) {
    md = createRenderer(rawHtml);
    renderers.set(rawHtml, md);
  }
  return md;
}

function createRenderer(rawHtml: boolean): Markdown {
  const md = new MarkdownIt('default', { html: rawHtml, linkify: true, typographer: false });
  md.use(markdownMath);
  md.core.ruler.push('heading_ids', assignHeadingIds);

  const renderToken = md.renderer.renderToken.bind(md.renderer);
  md.renderer.rules.link_open = (tokens, idx, opts) => {
    const href = String(tokens[idx].attrGet('href') ?? '');
    if (!href.startsWith('#')) {
      tokens[idx].attrSet('target', '_blank');
      tokens[idx].attrSet('rel', 'noopener noreferrer');
    }
    return renderToken(tokens, idx, opts);
  };
  const renderImage = md.renderer.rules.image!;
  md.renderer.rules.image = (tokens, idx, opts, env, self) => {
    const url = attachmentUrl(String(tokens[idx].attrGet('src') ?? ''), (env as unknown as RenderEnv | undefined)?.attachments);
    if (url) tokens[idx].attrSet('src', url);
    return renderImage(tokens, idx, opts, env, self);
  };
  md.renderer.rules.heading_close = (tokens, idx, opts) => {
    const id = tokens[idx - 2]?.attrGet('id');
    // Built by assignHeadingIds from the heading text; escaped again here as it lands in an attribute.
    const anchor = id ? `<a class="anchor-link" href="#${md.utils.escapeHtml(String(id))}" aria-hidden="true">¶</a>` : '';
    return anchor + renderToken(tokens, idx, opts);
  };
  return md;
}

function assignHeadingIds(state: StateCore): void {
  const env = state.env as unknown as RenderEnv;
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type !== 'heading_open') continue;
    const base = headingId(inlineText(tokens[i + 1]));
    if (!base) continue;
    const seen = env.usedIds?.get(base) ?? 0;
    env.usedIds?.set(base, seen + 1);
    tokens[i].attrSet('id', seen === 0 ? base : `${base}-${seen}`);
  }
}

function inlineText(inline: Token | undefined): string {
  if (!inline?.children) return inline?.content ?? '';
  return inline.children
    .map((child) => (child.type === 'softbreak' || child.type === 'hardbreak' ? ' ' : child.type === 'html_inline' || child.type === 'image' ? '' : child.content))
    .join('');
}
