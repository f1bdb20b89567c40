// Untrusted HTML (kernel output, raw HTML in markdown) made safe to place in a
// page of our own origin, for every place that shows a notebook without
// running its scripts: published pages, the HTML export, saved versions. The
// result keeps what a reader needs to see a table, a styled DataFrame or a
// report (structure, tables, images, links, a few presentational styles) and
// drops everything that could act: scripts, event handlers, style sheets,
// forms, frames, `javascript:` URLs. sanitize-html parses with htmlparser2, so
// this is pure and runs the same in Node (server, CLI) and in a browser.
import sanitize from 'sanitize-html';

/** CSS properties kept in `style` attributes (pandas' Styler and hand-made tables use these). */
const KEPT_STYLES: Record<string, RegExp[]> = Object.fromEntries(
  ['color', 'background-color', 'background', 'text-align', 'vertical-align', 'font-weight', 'font-style', 'font-size',
    'font-family', 'text-decoration', 'white-space', 'border', 'border-top', 'border-bottom', 'border-left', 'border-right',
    'border-collapse', 'padding', 'padding-left', 'padding-right', 'margin-left', 'width', 'min-width', 'max-width', 'height']
    .map((property) => [property, [/^(?!.*url\s*\()[-#\w\s.,%()"']+$/i]]),
);

const OPTIONS: sanitize.IOptions = {
  allowedTags: [...sanitize.defaults.allowedTags, 'img', 'details', 'summary', 'del', 'ins', 'center', 'font', 'big'],
  allowedAttributes: {
    '*': ['class', 'title', 'style', 'align', 'valign', 'lang', 'dir'],
    a: ['href', 'name', 'target', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
    table: ['border', 'cellpadding', 'cellspacing', 'width'],
    td: ['colspan', 'rowspan', 'width'],
    th: ['colspan', 'rowspan', 'width', 'scope'],
    col: ['span', 'width'],
    colgroup: ['span', 'width'],
    ol: ['start', 'type', 'reversed'],
    font: ['color', 'size', 'face'],
    details: ['open'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowProtocolRelative: false,
  allowedStyles: { '*': KEPT_STYLES },
  // Links leave the page in a new tab, and never hand it their opener.
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer' } }),
  },
  // A data: image must be an image (not data:text/html smuggled into <img>, which browsers refuse anyway).
  exclusiveFilter: (frame) => frame.tag === 'img' && /^data:/i.test(frame.attribs.src ?? '') && !/^data:image\/(png|jpe?g|gif|webp|svg\+xml|bmp);/i.test(frame.attribs.src ?? ''),
};

/** `html` with everything that could run or restyle the page removed. */
export function sanitizeHtml(html: string): string {
  return sanitize(html, OPTIONS);
}
