// One output (nbformat JSON) as static HTML, for every place that shows a
// notebook without running it: the HTML export, published pages, saved
// versions. Built from the same pieces as the live editor's OutputView (the
// MIME choice, ANSI conversion, markdown and math, image data URLs), so a
// notebook reads the same everywhere. Kernel HTML is sanitized into the page
// rather than framed: a frame needs a script to take its content's height, and
// a page that must work without JavaScript would clip it. SVG becomes an image
// (drawn at its own size, its scripts inert). Pure: no DOM, no React.
import type { OutputJSON } from '../nbformat/types';
import { ansiToHtml, escapeHtml } from './ansi-to-html';
import { latexToHtml } from './markdown-math';
import { markdownToHtml } from './markdown-to-html';
import { chooseMime, imageDataUrl, imageSize, mimeText, RASTER_IMAGE_MIMES, WIDGET_MIME, type MimeBundle } from './mime-priority';
import { sanitizeHtml } from './sanitize-html';

/** What the widget notice says, in the editor and on static pages alike. */
export const WIDGET_NOTICE = 'This output is an interactive widget, which Cellmate cannot display yet.';

/** The fields of an nbformat output read here, whatever its type. */
interface OutputFields {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: MimeBundle;
  metadata?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** A traceback as the terminal showed it, or "Name: message" when the kernel sent none. */
export function errorText(ename: string, evalue: string, traceback: readonly string[]): string {
  return traceback.length > 0 ? traceback.join('\n') : `${ename}: ${evalue}`;
}

/** The message shown for a bundle with nothing renderable. */
export function unrenderableText(bundle: MimeBundle): string {
  const types = Object.keys(bundle);
  return types.length ? `Cellmate cannot display output of type ${types.join(', ')}.` : 'Empty output.';
}

/** One representation of a bundle as static HTML. */
export function staticMimeHtml(mime: string, value: unknown, metadata?: Record<string, unknown>): string {
  if (mime === 'text/html') return `<div class="output-html" data-testid="output-html">${sanitizeHtml(mimeText(value))}</div>`;
  if (mime === 'image/svg+xml') return `<img class="output-image output-svg" src="${escapeHtml(svgDataUrl(mimeText(value)))}" alt="">`;
  if (RASTER_IMAGE_MIMES.includes(mime)) {
    const src = imageDataUrl(mime, value);
    const { width, height } = imageSize(metadata, mime);
    const size = `${width ? ` width="${width}"` : ''}${height ? ` height="${height}"` : ''}`;
    return src ? `<img class="output-image" src="${escapeHtml(src)}"${size} alt="">` : '';
  }
  if (mime === 'text/markdown') return `<div class="rendered-markdown">${markdownToHtml(mimeText(value))}</div>`;
  if (mime === 'text/latex') return `<div class="output-latex">${latexToHtml(mimeText(value))}</div>`;
  if (mime === 'application/json') return `<pre class="output-json">${escapeHtml(JSON.stringify(value, null, 2) ?? '')}</pre>`;
  return `<pre class="output-text">${ansiToHtml(mimeText(value))}</pre>`;
}

/** SVG as an image URL. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** One output of any type as static HTML, in the editor's markup (the classes render.css styles). */
export function staticOutputHtml(output: OutputJSON): string {
  const o = output as unknown as OutputFields;
  const type = escapeHtml(String(o.output_type));
  switch (o.output_type) {
    case 'stream': {
      const name = o.name === 'stderr' ? 'stderr' : 'stdout';
      return `<div class="output output-stream output-stream-${name}" data-testid="output" data-output-type="stream"><pre data-testid="output-stream" data-stream-name="${name}">${ansiToHtml(mimeText(o.text))}</pre></div>`;
    }
    case 'error':
      return `<div class="output output-error" data-testid="output" data-output-type="error"><pre data-testid="output-error" data-ename="${escapeHtml(o.ename ?? '')}">${ansiToHtml(errorText(o.ename ?? '', o.evalue ?? '', o.traceback ?? []))}</pre></div>`;
    case 'display_data':
    case 'execute_result': {
      const data = o.data ?? {};
      const choice = chooseMime(data);
      if (!choice) return `<div class="output output-unrenderable" data-testid="output" data-output-type="${type}"><pre class="output-notice">${escapeHtml(unrenderableText(data))}</pre></div>`;
      const body = choice.mime === WIDGET_MIME
        ? `<div class="output-notice output-widget-notice">${escapeHtml(WIDGET_NOTICE)}</div>${choice.widgetFallback ? staticMimeHtml(choice.widgetFallback, data[choice.widgetFallback], o.metadata) : ''}`
        : staticMimeHtml(choice.mime, data[choice.mime], o.metadata);
      return `<div class="output output-${type}" data-testid="output" data-output-type="${type}" data-mime="${escapeHtml(choice.mime)}">${body}</div>`;
    }
    default:
      return `<div class="output output-unknown" data-testid="output" data-output-type="${type}"><pre class="output-notice">Unknown output type “${type}”.</pre></div>`;
  }
}
