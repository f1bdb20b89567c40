'use client';
// One output (nbformat JSON) drawn by type, live in the editor: MIME bundles by
// Jupyter's priority, streams and tracebacks as ANSI-coloured text, kernel HTML
// and SVG in sandboxed frames. Saved outputs shown without running anything
// (published pages, versions) are the static HTML of notebook-model/render/
// output-html.ts, which the HTML export uses too; both are built from the same
// pieces of notebook-model/render/.
import { memo, useMemo, useState, type JSX } from 'react';
import type { OutputJSON } from '../../notebook-model/nbformat/types';
import { ansiToHtml } from '../../notebook-model/render/ansi-to-html';
import { JsonTree } from './JsonTree';
import { Markdown } from './Markdown';
import { latexToHtml } from '../../notebook-model/render/markdown-math';
import {
  chooseMime,
  imageDataUrl,
  imageSize,
  mimeText,
  RASTER_IMAGE_MIMES,
  WIDGET_MIME,
  type MimeBundle,
} from '../../notebook-model/render/mime-priority';
import { errorText, staticOutputHtml, unrenderableText, WIDGET_NOTICE } from '../../notebook-model/render/output-html';
import { OutputFrame } from './OutputFrame';
import { streamView } from './stream-chunks';

/** The fields of an nbformat output this module reads, whatever its type. */
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

/**
 * How kernel HTML and SVG are shown: `frame` runs them in a sandboxed iframe
 * sized by a script (the live editor); `static` places sanitized markup in the
 * page itself, complete without any script (published pages, saved versions).
 */
export type RichMode = 'frame' | 'static';

/** Saved outputs, drawn without a live document (published pages, server rendering). */
export function OutputList(props: { outputs: OutputJSON[]; rich?: RichMode }): JSX.Element {
  if (props.rich === 'static') {
    const html = props.outputs.map(staticOutputHtml).join('');
    return (
      <div className="output-area" data-testid="output-area">
        <div className="output-area-content" dangerouslySetInnerHTML={{ __html: html }} />
      </div>
    );
  }
  return (
    <div className="output-area" data-testid="output-area">
      <div className="output-area-content">
        {props.outputs.map((output, index) => (
          <OutputView key={index} output={output} />
        ))}
      </div>
    </div>
  );
}

/** One output of any type. */
export function OutputView(props: { output: OutputJSON }): JSX.Element {
  const output = props.output as unknown as OutputFields;
  switch (output.output_type) {
    case 'stream':
      return <StreamOutput name={output.name ?? 'stdout'} text={mimeText(output.text)} />;
    case 'error':
      return <ErrorOutput ename={output.ename ?? ''} evalue={output.evalue ?? ''} traceback={output.traceback ?? []} />;
    case 'display_data':
    case 'execute_result':
      return <MimeBundleOutput outputType={output.output_type} data={output.data ?? {}} metadata={output.metadata ?? {}} />;
    default:
      return (
        <div className="output output-unknown" data-testid="output" data-output-type={String(output.output_type)}>
          <pre className="output-notice">Unknown output type “{String(output.output_type)}”.</pre>
        </div>
      );
  }
}

/**
 * A stream's text, drawn in chunks (stream-chunks.ts): while a stream grows only
 * its last chunk is converted and redrawn. Long streams show their tail until
 * the reader asks for all of it.
 */
export function StreamOutput(props: { name: string; text: string }): JSX.Element {
  const { name, text } = props;
  const [showAll, setShowAll] = useState(false);
  const view = useMemo(() => streamView(text, showAll ? { tailChars: Infinity } : {}), [text, showAll]);
  return (
    <div className={`output output-stream output-stream-${name === 'stderr' ? 'stderr' : 'stdout'}`} data-testid="output" data-output-type="stream">
      {view.hiddenChars > 0 && (
        <button type="button" className="output-show-all" onClick={() => setShowAll(true)}>
          Earlier output ({formatSize(view.hiddenChars)}) hidden; show all
        </button>
      )}
      <pre data-testid="output-stream" data-stream-name={name}>
        {view.chunks.map((chunk) => (
          <AnsiChunk key={chunk.start} text={chunk.text} />
        ))}
      </pre>
    </div>
  );
}

const AnsiChunk = memo(function AnsiChunk({ text }: { text: string }): JSX.Element {
  return <span className="stream-chunk" dangerouslySetInnerHTML={{ __html: ansiToHtml(text) }} />;
});

function ErrorOutput(props: { ename: string; evalue: string; traceback: string[] }): JSX.Element {
  const { ename, evalue, traceback } = props;
  const text = errorText(ename, evalue, traceback);
  const html = useMemo(() => ansiToHtml(text), [text]);
  return (
    <div className="output output-error" data-testid="output" data-output-type="error">
      <pre data-testid="output-error" data-ename={ename} dangerouslySetInnerHTML={{ __html: html }} />
    </div>
  );
}

function MimeBundleOutput(props: { outputType: string; data: MimeBundle; metadata: Record<string, unknown> }): JSX.Element {
  const { outputType, data, metadata } = props;
  const choice = chooseMime(data);
  if (!choice) {
    return (
      <div className="output output-unrenderable" data-testid="output" data-output-type={outputType}>
        <pre className="output-notice">{unrenderableText(data)}</pre>
      </div>
    );
  }
  return (
    <div className={`output output-${outputType}`} data-testid="output" data-output-type={outputType} data-mime={choice.mime}>
      {choice.mime === WIDGET_MIME ? (
        <>
          <div className="output-notice output-widget-notice" data-testid="output-widget-notice">
            {WIDGET_NOTICE}
          </div>
          {choice.widgetFallback && <MimeView mime={choice.widgetFallback} value={data[choice.widgetFallback]} metadata={metadata} />}
        </>
      ) : (
        <MimeView mime={choice.mime} value={data[choice.mime]} metadata={metadata} />
      )}
    </div>
  );
}

/** One representation of a bundle. */
export function MimeView(props: { mime: string; value: unknown; metadata?: Record<string, unknown> }): JSX.Element | null {
  const { mime, value, metadata } = props;
  if (mime === 'text/html') return <OutputFrame content={mimeText(value)} kind="html" />;
  if (mime === 'image/svg+xml') return <OutputFrame content={mimeText(value)} kind="svg" />;
  if (RASTER_IMAGE_MIMES.includes(mime)) {
    const src = imageDataUrl(mime, value);
    const { width, height } = imageSize(metadata, mime);
    return src ? <img className="output-image" src={src} width={width} height={height} alt="" /> : null;
  }
  if (mime === 'text/markdown') return <Markdown source={mimeText(value)} />;
  if (mime === 'text/latex') return <LatexView source={mimeText(value)} />;
  if (mime === 'application/json') return <JsonTree value={value} />;
  return <PlainText text={mimeText(value)} />;
}

function LatexView({ source }: { source: string }): JSX.Element {
  const html = useMemo(() => latexToHtml(source), [source]);
  return <div className="output-latex" dangerouslySetInnerHTML={{ __html: html }} />;
}

function PlainText({ text }: { text: string }): JSX.Element {
  const html = useMemo(() => ansiToHtml(text), [text]);
  return <pre className="output-text" dangerouslySetInnerHTML={{ __html: html }} />;
}

function formatSize(chars: number): string {
  if (chars < 1024) return `${chars} B`;
  if (chars < 1024 * 1024) return `${(chars / 1024).toFixed(0)} KB`;
  return `${(chars / 1024 / 1024).toFixed(1)} MB`;
}
