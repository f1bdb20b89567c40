// A notebook as one self-contained HTML page (no external URLs): markdown and
// math, code with In [n] prompts, outputs with Out[n], all drawn by the render
// module the editor and published pages use (notebook-model/render/), with its
// stylesheet, so the three look the same. The page carries no script: kernel
// HTML is sanitized into it (complete, no frame to size), SVG is an image.
// KaTeX's stylesheet is inlined without its web fonts (they would add ~1 MB);
// formulas fall back to local serif fonts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeHtml } from '../render/ansi-to-html';
import { markdownToHtml, type CellAttachments } from '../render/markdown-to-html';
import { staticOutputHtml } from '../render/output-html';
import type { NotebookJSON, OutputJSON } from './types';

let styles: string | undefined;
/** KaTeX's stylesheet (without fonts) and the render module's own, read once. */
function inlinedStyles(): string {
  if (styles === undefined) {
    // Resolved when first needed, not by the web app's bundler: Turbopack
    // replaces a static `require.resolve` of a non-JS file with `undefined`.
    const katexPath = createRequire(import.meta.url).resolve(/*turbopackIgnore: true*/ 'katex/dist/katex.min.css');
    const katex = readFileSync(katexPath, 'utf8').replace(/@font-face\{[^}]*\}/g, '');
    const renderCss = join(/*turbopackIgnore: true*/ dirname(fileURLToPath(import.meta.url)), '..', 'render', 'render.css');
    styles = `${katex}\n${readFileSync(renderCss, 'utf8')}`;
  }
  return styles;
}

/** One output in its row, with Out[n] for an execute result. */
function outputRow(output: OutputJSON): string {
  const prompt = output.output_type === 'execute_result' ? `<div class="prompt out-prompt">Out[${output.execution_count ?? ' '}]:</div>` : '<div class="prompt"></div>';
  return `<div class="output-row">${prompt}<div class="output-body">${staticOutputHtml(output)}</div></div>`;
}

const PAGE_CSS = `
body{margin:0;background:#fff;color:#1f2328;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:980px;margin:0 auto;padding:24px 16px}
.cell{margin:10px 0}
.input-row,.output-row{display:flex;gap:8px}
.prompt{flex:0 0 72px;text-align:right;font:12px/1.9 ui-monospace,monospace;color:#57606a}
.out-prompt{color:#9a3412}
.input-body,.output-body{flex:1;min-width:0}
pre{margin:0;white-space:pre-wrap;word-break:break-word;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
.code{background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;padding:8px}
.outputs{margin-top:4px}
.raw{color:#57606a}
`;

export interface HtmlExportOptions {
  /** The page title (escaped; shown in the browser tab). */
  title: string;
}

/** The whole notebook as a standalone HTML document. */
export function notebookToHtml(nb: NotebookJSON, options: HtmlExportOptions): string {
  const cells = nb.cells.map((cell) => {
    switch (cell.cell_type) {
      case 'markdown':
        return `<section class="cell markdown-cell"><div class="input-row"><div class="prompt"></div><div class="input-body rendered-markdown">${markdownToHtml(cell.source, cell.attachments as CellAttachments | undefined)}</div></div></section>`;
      case 'code': {
        const outputs = cell.outputs.map(outputRow).join('\n');
        const prompt = `In [${cell.execution_count ?? ' '}]:`;
        return `<section class="cell code-cell"><div class="input-row"><div class="prompt">${prompt}</div><div class="input-body"><pre class="code">${escapeHtml(cell.source)}</pre></div></div>`
          + (outputs ? `<div class="outputs">${outputs}</div>` : '') + '</section>';
      }
      case 'raw':
        return `<section class="cell raw-cell"><div class="input-row"><div class="prompt"></div><div class="input-body"><pre class="raw">${escapeHtml(cell.source)}</pre></div></div></section>`;
      default:
        return '';
    }
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${inlinedStyles()}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<main>
${cells.join('\n')}
</main>
</body>
</html>
`;
}
