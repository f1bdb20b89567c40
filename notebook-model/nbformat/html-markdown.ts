// Markdown and LaTeX to HTML for static export: markdown-it with raw HTML
// disabled (cell markdown is shared content, and a page must not carry its
// scripts), KaTeX for $…$ / $$…$$ math, and `attachment:` images resolved to
// data: URLs from the cell's attachments.
import katex from 'katex';
import MarkdownIt from 'markdown-it';
import texmath from 'markdown-it-texmath';
import type { Attachments } from './types';

export interface MarkdownRenderer {
  render(markdown: string, attachments?: Attachments): string;
  /** A text/latex output: math in $…$, $$…$$ or \[…\], or a bare formula. */
  renderLatex(latex: string): string;
}

const IMAGE_MIMES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

export function createMarkdownRenderer(): MarkdownRenderer {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.use(texmath, { engine: katex, delimiters: 'dollars', katexOptions: { throwOnError: false, output: 'html' } });
  const defaultImage = md.renderer.rules.image!;
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const src = String(token.attrGet('src') ?? '');
    const attachments = (env as { attachments?: Attachments }).attachments;
    if (src.startsWith('attachment:')) {
      const bundle = attachments?.[decodeURIComponent(src.slice('attachment:'.length))];
      const mime = bundle && IMAGE_MIMES.find((m) => typeof bundle[m] === 'string');
      if (bundle && mime) token.attrSet('src', `data:${mime};base64,${String(bundle[mime]).replace(/[^A-Za-z0-9+/=]/g, '')}`);
    }
    return defaultImage(tokens, idx, options, env, self);
  };
  return {
    render: (markdown, attachments) => md.render(markdown, { attachments }),
    renderLatex(latex) {
      const trimmed = latex.trim();
      const m = /^\$\$([\s\S]*)\$\$$/.exec(trimmed) ?? /^\\\[([\s\S]*)\\\]$/.exec(trimmed) ?? /^\$([\s\S]*)\$$/.exec(trimmed);
      return katex.renderToString(m ? m[1] : trimmed, { displayMode: true, throwOnError: false, output: 'html' });
    },
  };
}
