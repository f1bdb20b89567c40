'use client';
// A markdown cell's rendered view. The HTML comes from markdownToHtml (pure,
// shared with published pages and the exporter). Raw HTML is sanitized in the
// browser and escaped on the server; during hydration the first client render
// uses the server's choice so the markup matches, then upgrades.
import { useMemo, useSyncExternalStore, type JSX } from 'react';
import { domAvailable, markdownToHtml, type CellAttachments } from './markdown-to-html';

const subscribeNever = () => () => {};

/** Rendered markdown (CommonMark, tables, KaTeX math, sanitized raw HTML, attachment images). */
export function Markdown(props: { source: string; attachments?: CellAttachments }): JSX.Element {
  const { source, attachments } = props;
  const canSanitize = useSyncExternalStore(subscribeNever, domAvailable, () => false);
  const html = useMemo(
    () => markdownToHtml(source, attachments, { rawHtml: canSanitize ? 'sanitize' : 'escape' }),
    [source, attachments, canSanitize],
  );
  return <div className="rendered-markdown" data-testid="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
