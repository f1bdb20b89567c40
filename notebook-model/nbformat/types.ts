// Types of an nbformat 4 notebook as Cellmate holds it in memory.
//
// Invariant of the normalized form (what parseNotebook returns and every other
// function here takes): every multiline string is ONE string. The file form
// (what serializeNotebook writes) splits them into lists of lines; the
// `MultilineString` type describes that file form. JSON MIME data
// (`application/json`, `application/*+json`) stays a JSON value, as in the file.
//
// Notebooks from a newer minor version (nbformat_minor > 5) may carry cells and
// outputs of types not listed here; they are kept as opaque data, so consumers
// must check `cell_type` / `output_type` at run time rather than trust the union.

export type JSONValue = null | boolean | number | string | JSONValue[] | JSONObject;
export type JSONObject = { [key: string]: JSONValue };

/** How a file may store text: one string, or a list of lines (each keeping its newline). */
export type MultilineString = string | string[];

/** MIME type → data. Text types hold one string once normalized; JSON types hold any JSON value. */
export type MimeBundle = { [mimeType: string]: JSONValue };

/** Cell attachments: file name → MIME bundle (markdown and raw cells only). */
export type Attachments = { [fileName: string]: MimeBundle };

export interface KernelspecJSON {
  name: string;
  display_name: string;
  [key: string]: JSONValue;
}

export interface NotebookMetadata {
  kernelspec?: KernelspecJSON;
  language_info?: JSONObject & { name: string };
  [key: string]: JSONValue | undefined;
}

export interface CellMetadata {
  tags?: string[];
  [key: string]: JSONValue | undefined;
}

interface CellBase {
  /** Unique within the notebook, 1–64 characters from [a-zA-Z0-9-_]. */
  id: string;
  metadata: CellMetadata;
  source: string;
}

export interface CodeCellJSON extends CellBase {
  cell_type: 'code';
  execution_count: number | null;
  outputs: OutputJSON[];
}

export interface MarkdownCellJSON extends CellBase {
  cell_type: 'markdown';
  attachments?: Attachments;
}

export interface RawCellJSON extends CellBase {
  cell_type: 'raw';
  attachments?: Attachments;
}

export type CellJSON = CodeCellJSON | MarkdownCellJSON | RawCellJSON;
export type CellType = CellJSON['cell_type'];

export interface StreamOutputJSON {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: string;
}

export interface DisplayDataOutputJSON {
  output_type: 'display_data';
  data: MimeBundle;
  metadata: JSONObject;
  /** Live-session only (display_id for update_display_data); never written to files. */
  transient?: JSONObject;
}

export interface ExecuteResultOutputJSON {
  output_type: 'execute_result';
  execution_count: number | null;
  data: MimeBundle;
  metadata: JSONObject;
}

export interface ErrorOutputJSON {
  output_type: 'error';
  ename: string;
  evalue: string;
  /** One entry per traceback frame, as the kernel sent them (never split or joined). */
  traceback: string[];
}

export type OutputJSON = StreamOutputJSON | DisplayDataOutputJSON | ExecuteResultOutputJSON | ErrorOutputJSON;

export interface NotebookJSON {
  nbformat: 4;
  /** 5 after parsing (older minors are upgraded); higher if the file came from a newer Jupyter. */
  nbformat_minor: number;
  metadata: NotebookMetadata;
  cells: CellJSON[];
}
