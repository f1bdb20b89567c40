// The nbformat file layer: .ipynb text ↔ NotebookJSON (validated, normalized,
// written byte-identically to Jupyter), percent scripts, stripping, HTML export.
// Pure functions over JSON; the Yjs side lives in ../notebook-doc.ts.
// html-export reads KaTeX's stylesheet from disk, so it is server-side only.
export * from './types';
export { NotebookFormatError } from './errors';
export { parseNotebook, CURRENT_NBFORMAT_MINOR } from './read';
export { serializeNotebook } from './write';
export { stripOutputs } from './strip';
export { notebookToPercentScript, percentScriptToNotebook, type PercentScriptOptions } from './percent-script';
export { notebookToHtml, type HtmlExportOptions } from './html-export';
export { mintCellId, CELL_ID_PATTERN } from './cell-ids';
export { splitLinesKeepEnds } from './multiline';
