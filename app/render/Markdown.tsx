'use client';
// A markdown cell's rendered view. The HTML comes from markdownToHtml (pure,
// shared with published pages and the exporter; raw HTML sanitized the same way
// on the server and in the browser, so hydration matches).
import { useMemo, type JSX } from 'react';
import { markdownToHtml, type CellAttachments } from '../../notebook-model/render/markdown-to-html';

/** Rendered markdown (CommonMark, tables, KaTeX math, sanitized raw HTML, attachment images). */
export function Markdown(props: { source: string; attachments?: CellAttachments }): JSX.Element {
  const { source, attachments } = props;
  const html = useMemo(() => markdownToHtml(source, attachments), [source, attachments]);
  return <div className="rendered-markdown" data-testid="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
