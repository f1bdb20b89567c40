'use client';
// One output (nbformat JSON) drawn live in the editor, from the plan every
// renderer shares (notebook-model/render/output-plan.ts: the MIME choice by
// Jupyter's priority, the notices): streams and tracebacks as ANSI-coloured
// text, kernel HTML and SVG in sandboxed frames. Saved outputs shown without
// running anything (published pages, versions) are the static HTML of
// notebook-model/render/output-html.ts, which the HTML export uses too.
import { memo, useMemo, useState, type JSX } from 'react';
import type { OutputJSON } from '../../notebook-model/nbformat/types';
import { ansiToHtml } from '../../notebook-model/render/ansi-to-html';
import { JsonTree } from './JsonTree';
import { Markdown } from './Markdown';
import { latexToHtml } from '../../notebook-model/render/markdown-math';
import { imageDataUrl, imageSize, mimeText } from '../../notebook-model/render/mime-priority';
import { staticOutputHtml } from '../../notebook-model/render/output-html';
import { outputPlan, WIDGET_NOTICE, type MimePart } from '../../notebook-model/render/output-plan';
import { OutputFrame } from './OutputFrame';
import { streamView } from './stream-chunks';

/**
 * Saved outputs, drawn without a live document (saved versions and their
 * diffs): sanitized markup placed in the page, complete without any script.
 */
export function OutputList(props: { outputs: OutputJSON[] }): JSX.Element {
  const html = props.outputs.map(staticOutputHtml).join('');
  return (
    <div className="output-area" data-testid="output-area">
      <div className="output-area-content" dangerouslySetInnerHTML={{ __html: html }} />
    </div>
  );
}

/** One output of any type. */
export function OutputView(props: { output: OutputJSON }): JSX.Element {
  const plan = outputPlan(props.output);
  switch (plan.kind) {
    case 'stream':
      return <StreamOutput name={plan.name} text={plan.text} />;
    case 'error':
      return <ErrorOutput ename={plan.ename} text={plan.text} />;
    case 'bundle':
      return (
        <div className={`output output-${plan.outputType}`} data-testid="output" data-output-type={plan.outputType} data-mime={plan.mime}>
          {plan.prompt && <div className="output-prompt" data-testid="out-prompt">{plan.prompt}</div>}
          {plan.widget && (
            <div className="output-notice output-widget-notice" data-testid="output-widget-notice">
              {WIDGET_NOTICE}
            </div>
          )}
          {plan.part && <MimeView part={plan.part} />}
        </div>
      );
    case 'notice':
      return (
        <div className={`output ${plan.className}`} data-testid="output" data-output-type={plan.outputType}>
          <pre className="output-notice">{plan.message}</pre>
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

function ErrorOutput(props: { ename: string; text: string }): JSX.Element {
  const html = useMemo(() => ansiToHtml(props.text), [props.text]);
  return (
    <div className="output output-error" data-testid="output" data-output-type="error">
      <pre data-testid="output-error" data-ename={props.ename} dangerouslySetInnerHTML={{ __html: html }} />
    </div>
  );
}

/** One representation of a bundle. */
function MimeView({ part }: { part: MimePart }): JSX.Element | null {
  const { mime, value, metadata } = part;
  switch (part.kind) {
    case 'html': return <OutputFrame content={mimeText(value)} kind="html" />;
    case 'svg': return <OutputFrame content={mimeText(value)} kind="svg" />;
    case 'image': {
      const src = imageDataUrl(mime, value);
      const { width, height } = imageSize(metadata, mime);
      return src ? <img className="output-image" src={src} width={width} height={height} alt="" /> : null;
    }
    case 'markdown': return <Markdown source={mimeText(value)} />;
    case 'latex': return <LatexView source={mimeText(value)} />;
    case 'json': return <JsonTree value={value} />;
    case 'text': return <PlainText text={mimeText(value)} />;
  }
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
