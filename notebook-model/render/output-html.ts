// One output (nbformat JSON) as static HTML, for every place that shows a
// notebook without running it: the HTML export, published pages, saved
// versions. Drawn from the same plan as the live editor's OutputView
// (output-plan.ts: the MIME choice and the notices) with the same pieces (ANSI
// conversion, markdown and math, image data URLs), so a notebook reads the same
// everywhere. Kernel HTML is sanitized into the page
// rather than framed: a frame needs a script to take its content's height, and
// a page that must work without JavaScript would clip it. SVG becomes an image
// (drawn at its own size, its scripts inert). Pure: no DOM, no React.
import type { OutputJSON } from '../nbformat/types';
import { ansiToHtml, escapeHtml } from './ansi-to-html';
import { latexToHtml } from './markdown-math';
import { markdownToHtml } from './markdown-to-html';
import { imageDataUrl, imageSize, mimeText } from './mime-priority';
import { outputPlan, WIDGET_NOTICE, type MimePart } from './output-plan';
import { sanitizeHtml } from './sanitize-html';

/** One representation of a bundle as static HTML. */
function staticMimeHtml(part: MimePart): string {
  const { mime, value, metadata } = part;
  switch (part.kind) {
    case 'html': return `<div class="output-html" data-testid="output-html">${sanitizeHtml(mimeText(value))}</div>`;
    case 'svg': return `<img class="output-image output-svg" src="${escapeHtml(svgDataUrl(mimeText(value)))}" alt="">`;
    case 'image': {
      const src = imageDataUrl(mime, value);
      const { width, height } = imageSize(metadata, mime);
      const size = `${width ? ` width="${width}"` : ''}${height ? ` height="${height}"` : ''}`;
      return src ? `<img class="output-image" src="${escapeHtml(src)}"${size} alt="">` : '';
    }
    case 'markdown': return `<div class="rendered-markdown">${markdownToHtml(mimeText(value))}</div>`;
    case 'latex': return `<div class="output-latex">${latexToHtml(mimeText(value))}</div>`;
    case 'json': return `<pre class="output-json">${escapeHtml(JSON.stringify(value, null, 2) ?? '')}</pre>`;
    case 'text': return `<pre class="output-text">${ansiToHtml(mimeText(value))}</pre>`;
  }
}

/** SVG as an image URL. */
function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** One output of any type as static HTML, in the editor's markup (the classes render.css styles). */
export function staticOutputHtml(output: OutputJSON): string {
  const plan = outputPlan(output);
  switch (plan.kind) {
    case 'stream':
      return `<div class="output output-stream output-stream-${plan.name}" data-testid="output" data-output-type="stream"><pre data-testid="output-stream" data-stream-name="${plan.name}">${ansiToHtml(plan.text)}</pre></div>`;
    case 'error':
      return `<div class="output output-error" data-testid="output" data-output-type="error"><pre data-testid="output-error" data-ename="${escapeHtml(plan.ename)}">${ansiToHtml(plan.text)}</pre></div>`;
    case 'bundle': {
      const type = escapeHtml(plan.outputType);
      const notice = plan.widget ? `<div class="output-notice output-widget-notice">${escapeHtml(WIDGET_NOTICE)}</div>` : '';
      const prompt = plan.prompt ? `<div class="output-prompt" data-testid="out-prompt">${escapeHtml(plan.prompt)}</div>` : '';
      return `<div class="output output-${type}" data-testid="output" data-output-type="${type}" data-mime="${escapeHtml(plan.mime)}">${prompt}${notice}${plan.part ? staticMimeHtml(plan.part) : ''}</div>`;
    }
    case 'notice':
      return `<div class="output ${plan.className}" data-testid="output" data-output-type="${escapeHtml(plan.outputType)}"><pre class="output-notice">${escapeHtml(plan.message)}</pre></div>`;
  }
}
