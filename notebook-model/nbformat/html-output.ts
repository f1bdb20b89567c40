// One output cell area as HTML for a static export. Picks the richest MIME type
// by Jupyter's display priority. Output HTML and SVG come from code, so they
// are treated as untrusted: they render inside <iframe sandbox="allow-scripts">
// with srcdoc and no allow-same-origin, where scripts run (widgets, plots) but
// cannot reach the exported page's origin. Everything else is escaped text,
// data: images, or markdown/LaTeX rendered without raw HTML.
import Anser from 'anser';
import type { MarkdownRenderer } from './html-markdown';
import type { JSONValue, MimeBundle, OutputJSON } from './types';

/** Jupyter's order of preference when an output offers several representations. */
export const MIME_PRIORITY = [
  'text/html', 'image/svg+xml', 'image/png', 'image/jpeg', 'text/markdown', 'text/latex', 'application/json', 'text/plain',
] as const;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Terminal text (tracebacks, progress bars) with ANSI colours as inline styles, HTML-escaped. */
export function ansiToHtml(text: string): string {
  return Anser.ansiToHtml(Anser.escapeForHtml(text), { use_classes: false });
}

const asText = (v: JSONValue | undefined): string => (typeof v === 'string' ? v : Array.isArray(v) ? v.join('') : JSON.stringify(v));

function sandboxedFrame(document: string, height: number, className: string): string {
  const srcdoc = `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;font:14px/1.4 system-ui,sans-serif}</style></head><body>${document}</body></html>`;
  return `<iframe class="${className}" sandbox="allow-scripts" referrerpolicy="no-referrer" style="height:${height}px" srcdoc="${escapeHtml(srcdoc)}"></iframe>`;
}

/** A guess at the height HTML needs; the frame cannot report it (no same-origin), so it is also resizable. */
function htmlHeight(html: string): number {
  const blocks = (html.match(/<(tr|br|p|li|h[1-6]|div)\b/gi) ?? []).length;
  const lines = html.split('\n').length;
  return Math.min(800, Math.max(48, 24 * Math.max(blocks, Math.ceil(lines / 3)) + 24));
}

function svgHeight(svg: string): number {
  const m = /<svg\b[^>]*?\sheight\s*=\s*["']?([\d.]+)(pt|px)?/i.exec(svg);
  const h = m ? Number(m[1]) * (m[2] === 'pt' ? 4 / 3 : 1) : 400;
  return Math.min(1200, Math.max(48, Math.ceil(h) + 16));
}

function imageData(mime: string, value: JSONValue | undefined): string {
  const base64 = asText(value).replace(/[^A-Za-z0-9+/=]/g, '');
  return `<img class="output-image" alt="" src="data:${mime};base64,${base64}">`;
}

function renderBundle(data: MimeBundle, md: MarkdownRenderer): string {
  const mime = MIME_PRIORITY.find((m) => m in data);
  if (mime === undefined) {
    const offered = Object.keys(data).join(', ') || 'nothing';
    return `<pre class="output-text output-missing">[output not shown: ${escapeHtml(offered)}]</pre>`;
  }
  const value = data[mime];
  switch (mime) {
    case 'text/html': return sandboxedFrame(asText(value), htmlHeight(asText(value)), 'output-html');
    case 'image/svg+xml': return sandboxedFrame(asText(value), svgHeight(asText(value)), 'output-svg');
    case 'image/png':
    case 'image/jpeg': return imageData(mime, value);
    case 'text/markdown': return `<div class="output-markdown">${md.render(asText(value))}</div>`;
    case 'text/latex': return `<div class="output-latex">${md.renderLatex(asText(value))}</div>`;
    case 'application/json': return `<pre class="output-text output-json">${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
    default: return `<pre class="output-text">${ansiToHtml(asText(value))}</pre>`;
  }
}

/** One output as HTML, with an Out[n] prompt for execute results. */
export function renderOutput(output: OutputJSON, md: MarkdownRenderer): string {
  switch (output.output_type) {
    case 'stream':
      return `<pre class="output-text output-stream output-${output.name === 'stderr' ? 'stderr' : 'stdout'}">${ansiToHtml(output.text)}</pre>`;
    case 'error':
      return `<pre class="output-text output-error">${ansiToHtml(output.traceback.join('\n') || `${output.ename}: ${output.evalue}`)}</pre>`;
    case 'execute_result':
      return `<div class="output-row"><div class="prompt out-prompt">Out[${output.execution_count ?? ' '}]:</div><div class="output-body">${renderBundle(output.data, md)}</div></div>`;
    case 'display_data':
      return `<div class="output-row"><div class="prompt"></div><div class="output-body">${renderBundle(output.data, md)}</div></div>`;
    default:
      return `<pre class="output-text output-missing">[output of unknown type ${escapeHtml(String((output as { output_type: unknown }).output_type))}]</pre>`;
  }
}
