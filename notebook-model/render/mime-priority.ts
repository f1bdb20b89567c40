// Which representation of a Jupyter MIME bundle to show. One list, shared by the
// live notebook, published pages and the static HTML export, so they all pick the
// same representation. The order is Jupyter's: richest first, text/plain last.
// MIME types not listed are never chosen; the best listed one beside them is.

/** An interactive ipywidget; we cannot run widgets, so we show the next representation too. */
export const WIDGET_MIME = 'application/vnd.jupyter.widget-view+json';

/** MIME types we can render, best first. */
export const MIME_PRIORITY: readonly string[] = [
  WIDGET_MIME,
  'text/html',
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/markdown',
  'text/latex',
  'application/json',
  'text/plain',
];

/** Raster image MIME types, shown as `<img>` from base64 data. */
export const RASTER_IMAGE_MIMES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** A display_data / execute_result `data` field: MIME type to value (strings may be nbformat line lists). */
export type MimeBundle = Record<string, unknown>;

/** The renderable MIME types present in `bundle`, best first. */
export function rankedMimes(bundle: MimeBundle | undefined | null): string[] {
  if (!bundle || typeof bundle !== 'object') return [];
  return MIME_PRIORITY.filter((mime) => Object.prototype.hasOwnProperty.call(bundle, mime) && bundle[mime] != null);
}

/** The MIME type to show for `bundle`, or undefined when none is renderable. */
export function preferredMime(bundle: MimeBundle | undefined | null): string | undefined {
  return rankedMimes(bundle)[0];
}

/** What to draw for a bundle: the chosen MIME type and, for a widget, the representation shown in its place. */
export interface MimeChoice {
  mime: string;
  /** Set when `mime` is a widget: the next-best MIME type present, if any. */
  widgetFallback?: string;
}

export function chooseMime(bundle: MimeBundle | undefined | null): MimeChoice | undefined {
  const ranked = rankedMimes(bundle);
  if (ranked.length === 0) return undefined;
  if (ranked[0] === WIDGET_MIME) return { mime: WIDGET_MIME, widgetFallback: ranked[1] };
  return { mime: ranked[0] };
}

/** A textual MIME value as one string (nbformat files may store it as a list of lines). */
export function mimeText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((part) => (typeof part === 'string' ? part : '')).join('');
  return '';
}

/** A `data:` URL for a base64 image value; undefined when the MIME type is not an image. */
export function imageDataUrl(mime: string, value: unknown): string | undefined {
  if (!/^image\/[a-z0-9.+-]+$/i.test(mime)) return undefined;
  const base64 = mimeText(value).replace(/\s+/g, '');
  return `data:${mime};base64,${base64}`;
}

/** Width/height hints for an image from the output's `metadata[mime]` (IPython's Image(width=...)). */
export function imageSize(metadata: unknown, mime: string): { width?: number; height?: number } {
  const entry = metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>)[mime] : undefined;
  if (!entry || typeof entry !== 'object') return {};
  const { width, height } = entry as { width?: unknown; height?: unknown };
  const size: { width?: number; height?: number } = {};
  if (typeof width === 'number' && width > 0) size.width = width;
  if (typeof height === 'number' && height > 0) size.height = height;
  return size;
}
