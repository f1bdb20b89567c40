// The document inside the sandboxed iframe that shows kernel HTML and SVG.
//
// Kernel output is untrusted (a shared notebook runs other people's code), yet
// its scripts must run for pandas styling, plotly, bokeh and the like. So it
// goes into `<iframe sandbox="allow-scripts">` WITHOUT allow-same-origin: the
// frame gets an opaque origin and cannot touch the app's DOM, cookies, storage
// or same-origin APIs. The only channel out is postMessage, which we use for one
// thing: the frame reports its content height (a ResizeObserver in the frame),
// and the parent sizes the iframe, accepting the message only from that frame's
// window and clamping it. The other way, the parent tells the frame the person's
// light/dark choice (the frame, on its own, can only follow the system's), and
// the frame accepts that only from its parent. This module is pure: it builds strings and checks
// messages, so the static HTML export can reuse it.

/** The iframe's sandbox attribute. Never add allow-same-origin: it would hand the app's origin to kernel code. */
export const FRAME_SANDBOX = 'allow-scripts';

/** `type` of the message a frame posts with its height. */
export const FRAME_HEIGHT_MESSAGE = 'cellmate:output-height';

/** Heights are clamped to this many pixels; taller content scrolls inside the frame. */
export const MAX_FRAME_HEIGHT = 6000;
export const MIN_FRAME_HEIGHT = 16;

export type FrameContentKind = 'html' | 'svg';

/** `type` of the message the parent posts with the person's theme: `theme` is 'light', 'dark' or 'system'. */
export const FRAME_THEME_MESSAGE = 'cellmate:output-theme';

const DARK_PALETTE = '--fg: #e0e0e0; --stripe: rgba(255, 255, 255, 0.06); --rule: #616161; --link: #90caf9; color-scheme: dark;';

/**
 * Looks shared by every output frame: Jupyter's table style for pandas DataFrames,
 * quiet defaults, and a dark palette used when the system prefers dark (unless the
 * parent said light) or when the parent said dark.
 */
export const FRAME_BASE_CSS = `
:root { --fg: #212121; --stripe: #f5f5f5; --rule: #bdbdbd; --link: #1565c0; color-scheme: light; }
@media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { ${DARK_PALETTE} } }
:root[data-theme="dark"] { ${DARK_PALETTE} }
html { overflow-y: hidden; }
body {
  margin: 0; padding: 2px 0; display: flow-root;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 13px; line-height: 1.4; color: var(--fg); background: transparent;
}
img, svg, video, canvas { max-width: 100%; }
body > svg { height: auto; }
pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; }
table { border-collapse: collapse; border-spacing: 0; border: none; font-size: 12px; table-layout: fixed; }
thead { border-bottom: 1px solid var(--rule); vertical-align: bottom; }
tr, th, td { text-align: right; vertical-align: middle; padding: 0.5em 0.5em; line-height: normal; white-space: normal; max-width: none; border: none; }
th { font-weight: bold; }
tbody tr:nth-child(odd) { background: var(--stripe); }
tbody tr:hover { background: rgba(66, 165, 245, 0.2); }
table.dataframe { margin-left: 0; margin-right: 0; }
.dataframe thead th { text-align: right; }
.dataframe tbody th { vertical-align: top; }
a { color: var(--link); }
`;

// Runs inside the frame, from <head> so that whatever the kernel's markup does
// (an unclosed <script> or comment) cannot swallow it. Reports the body's height
// (plus a horizontal scrollbar if one shows) whenever it changes; `load` catches
// late images. Content taller than the parent's clamp gets a vertical scrollbar.
const HEIGHT_REPORTER = `(function () {
  var last = -1;
  function report() {
    var body = document.body, root = document.documentElement;
    if (!body) return;
    var scrollbar = Math.max(0, window.innerHeight - root.clientHeight);
    var height = Math.ceil(Math.max(body.scrollHeight, body.getBoundingClientRect().height)) + scrollbar;
    root.style.overflowY = height > ${MAX_FRAME_HEIGHT} ? 'auto' : 'hidden';
    if (height === last) return;
    last = height;
    parent.postMessage({ type: '${FRAME_HEIGHT_MESSAGE}', height: height }, '*');
  }
  function start() {
    if (typeof ResizeObserver === 'function') new ResizeObserver(report).observe(document.body);
    report();
  }
  if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
  window.addEventListener('load', report);
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (event.source !== parent || !data || data.type !== '${FRAME_THEME_MESSAGE}') return;
    if (data.theme === 'light' || data.theme === 'dark') document.documentElement.setAttribute('data-theme', data.theme);
    else document.documentElement.removeAttribute('data-theme');
  });
})();`;

/**
 * The srcdoc for an output frame: base styles and the height reporter, then the
 * kernel's markup as the body. `content` is inserted verbatim on purpose: the
 * frame's sandbox, not escaping, is what keeps it away from the app.
 */
export function buildFrameSrcdoc(content: string, kind: FrameContentKind = 'html'): string {
  return (
    '<!DOCTYPE html><html><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<style>${FRAME_BASE_CSS}</style><script>${HEIGHT_REPORTER}</script></head>` +
    `<body class="output-${kind}">${content}</body></html>`
  );
}

/** The message that tells a frame the person's theme choice. */
export function frameThemeMessage(theme: 'light' | 'dark' | 'system'): { type: string; theme: string } {
  return { type: FRAME_THEME_MESSAGE, theme };
}

/** The height carried by a frame's message, clamped; undefined if `data` is not our message. */
export function frameHeightFromMessage(data: unknown): number | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const { type, height } = data as { type?: unknown; height?: unknown };
  if (type !== FRAME_HEIGHT_MESSAGE || typeof height !== 'number' || !Number.isFinite(height)) return undefined;
  return clampFrameHeight(height);
}

export function clampFrameHeight(height: number): number {
  return Math.min(MAX_FRAME_HEIGHT, Math.max(MIN_FRAME_HEIGHT, Math.ceil(height)));
}
