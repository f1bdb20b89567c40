// What to draw for one output (nbformat JSON), decided once for every renderer:
// the live editor's OutputView (React) and the static HTML of published pages,
// saved versions and the export (output-html.ts). Each only turns the plan into
// its own markup, so both pick the same representation and say the same words.
import type { OutputJSON } from '../nbformat/types';
import { chooseMime, mimeText, RASTER_IMAGE_MIMES, WIDGET_MIME, type MimeBundle } from './mime-priority';

/** What the widget notice says, in the editor and on static pages alike. */
export const WIDGET_NOTICE = 'This output is an interactive widget, which Cellmate cannot display yet.';

/** How one representation is drawn. */
export type MimeKind = 'html' | 'svg' | 'image' | 'markdown' | 'latex' | 'json' | 'text';

/** One representation of a bundle to draw. */
export interface MimePart {
  mime: string;
  kind: MimeKind;
  value: unknown;
  /** The output's metadata (image sizes are read from `metadata[mime]`). */
  metadata: Record<string, unknown>;
}

export type OutputPlan =
  | { kind: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { kind: 'error'; ename: string; text: string }
  /**
   * A display_data / execute_result: the chosen MIME type; a widget shows its
   * notice, then the next representation if any. `prompt` ("Out[3]:") is set
   * for a result with an execution count, as Jupyter labels it.
   */
  | { kind: 'bundle'; outputType: string; mime: string; widget: boolean; part?: MimePart; prompt?: string }
  /** Nothing to draw but a notice (a bundle with no renderable type, an unknown output type). */
  | { kind: 'notice'; outputType: string; className: 'output-unrenderable' | 'output-unknown'; message: string };

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
  execution_count?: number | null;
}

/** How a MIME type the priority list may choose is drawn. */
export function mimeKind(mime: string): MimeKind {
  if (mime === 'text/html') return 'html';
  if (mime === 'image/svg+xml') return 'svg';
  if (RASTER_IMAGE_MIMES.includes(mime)) return 'image';
  if (mime === 'text/markdown') return 'markdown';
  if (mime === 'text/latex') return 'latex';
  if (mime === 'application/json') return 'json';
  return 'text';
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

/** What to draw for `output`. */
export function outputPlan(output: OutputJSON): OutputPlan {
  const o = output as unknown as OutputFields;
  const outputType = String(o.output_type);
  switch (o.output_type) {
    case 'stream':
      return { kind: 'stream', name: o.name === 'stderr' ? 'stderr' : 'stdout', text: mimeText(o.text) };
    case 'error':
      return { kind: 'error', ename: o.ename ?? '', text: errorText(o.ename ?? '', o.evalue ?? '', o.traceback ?? []) };
    case 'display_data':
    case 'execute_result': {
      const data = o.data ?? {};
      const metadata = o.metadata ?? {};
      const choice = chooseMime(data);
      if (!choice) return { kind: 'notice', outputType, className: 'output-unrenderable', message: unrenderableText(data) };
      const widget = choice.mime === WIDGET_MIME;
      const shown = widget ? choice.widgetFallback : choice.mime;
      const part = shown === undefined ? undefined : { mime: shown, kind: mimeKind(shown), value: data[shown], metadata };
      const prompt = o.output_type === 'execute_result' && Number.isInteger(o.execution_count) ? `Out[${o.execution_count}]:` : undefined;
      return { kind: 'bundle', outputType, mime: choice.mime, widget, part, ...(prompt ? { prompt } : {}) };
    }
    default:
      return { kind: 'notice', outputType, className: 'output-unknown', message: `Unknown output type “${outputType}”.` };
  }
}
