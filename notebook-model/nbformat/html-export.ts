// A notebook as one self-contained HTML page (no external URLs): markdown and
// math rendered, code with In [n] prompts, outputs as html-output.ts renders
// them. The page itself carries no script; untrusted output HTML/SVG runs only
// inside sandboxed srcdoc frames. KaTeX's stylesheet is inlined without its
// web fonts (they would add ~1 MB); formulas fall back to local serif fonts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createMarkdownRenderer } from './html-markdown';
import { escapeHtml, renderOutput } from './html-output';
import type { NotebookJSON } from './types';

let katexCss: string | undefined;
function katexStyles(): string {
  if (katexCss === undefined) {
    // Resolved when first needed, not by the web app's bundler: Turbopack
    // replaces a static `require.resolve` of a non-JS file with `undefined`.
    const path = createRequire(import.meta.url).resolve(/*turbopackIgnore: true*/ 'katex/dist/katex.min.css');
    katexCss = readFileSync(path, 'utf8').replace(/@font-face\{[^}]*\}/g, '');
  }
  return katexCss;
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
.output-text{padding:4px 0}
.output-stderr{background:#fff5f5}
.output-error{background:#fff5f5;padding:6px}
.output-image{max-width:100%}
iframe{width:100%;border:0;resize:vertical;overflow:auto;display:block}
.markdown img{max-width:100%}
.markdown table{border-collapse:collapse}.markdown td,.markdown th{border:1px solid #d0d7de;padding:2px 8px}
.raw{color:#57606a}
`;

export interface HtmlExportOptions {
  /** The page title (escaped; shown in the browser tab). */
  title: string;
}

/** The whole notebook as a standalone HTML document. */
export function notebookToHtml(nb: NotebookJSON, options: HtmlExportOptions): string {
  const md = createMarkdownRenderer();
  const cells = nb.cells.map((cell) => {
    switch (cell.cell_type) {
      case 'markdown':
        return `<section class="cell markdown-cell"><div class="input-row"><div class="prompt"></div><div class="input-body markdown">${md.render(cell.source, cell.attachments)}</div></div></section>`;
      case 'code': {
        const outputs = cell.outputs.map((o) => renderOutput(o, md)).join('\n');
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
<style>${katexStyles()}</style>
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
