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

const BASE_OPTIONS: sanitize.IOptions = {
  allowedTags: [...sanitize.defaults.allowedTags, 'img', 'details', 'summary', 'del', 'ins', 'center', 'font', 'big'],
  allowedAttributes: {
    '*': ['class', 'title', 'style', 'align', 'valign', 'lang', 'dir', 'aria-hidden'],
    h1: ['id'], h2: ['id'], h3: ['id'], h4: ['id'], h5: ['id'], h6: ['id'],
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
  // Links to other pages open in a new tab, and never hand it their opener; #anchors stay in the page.
  transformTags: { a: linkTarget },
  // A data: image must be an image (not data:text/html smuggled into <img>, which browsers refuse anyway).
  exclusiveFilter: (frame) => frame.tag === 'img' && /^data:/i.test(frame.attribs.src ?? '') && !/^data:image\/(png|jpe?g|gif|webp|svg\+xml|bmp);/i.test(frame.attribs.src ?? ''),
};

function linkTarget(tagName: string, attribs: sanitize.Attributes): sanitize.Tag {
  const { target: _target, rel: _rel, ...rest } = attribs;
  if (rest.href?.startsWith('#')) return { tagName, attribs: rest };
  return { tagName, attribs: { ...rest, target: '_blank', rel: 'noopener noreferrer' } };
}

export interface SanitizeOptions {
  /** Rewrites an image source before it is checked (a markdown cell's `attachment:` images). */
  imageSrc?: (src: string) => string | undefined;
  /** Keeps `<span data-math-slot>` placeholders (markdown-to-html puts formulas back into them after sanitizing). */
  mathSlots?: boolean;
}

/** `html` with everything that could run or restyle the page removed. */
export function sanitizeHtml(html: string, options: SanitizeOptions = {}): string {
  if (!options.imageSrc && !options.mathSlots) return sanitize(html, BASE_OPTIONS);
  const { imageSrc } = options;
  return sanitize(html, {
    ...BASE_OPTIONS,
    allowedAttributes: {
      ...(BASE_OPTIONS.allowedAttributes as Record<string, sanitize.AllowedAttribute[]>),
      ...(options.mathSlots ? { span: ['data-math-slot'] } : {}),
    },
    // An attachment that is missing stays `attachment:name` (inert), as Jupyter shows it.
    allowedSchemesByTag: imageSrc ? { img: ['http', 'https', 'data', 'attachment'] } : BASE_OPTIONS.allowedSchemesByTag,
    transformTags: {
      ...BASE_OPTIONS.transformTags,
      ...(imageSrc ? { img: (tagName: string, attribs: sanitize.Attributes) => ({ tagName, attribs: { ...attribs, src: imageSrc(attribs.src ?? '') ?? attribs.src ?? '' } }) } : {}),
    },
  });
}
