// The run record of a code cell: who ran it, when, on which kernel session and
// with what source. It lives in the document (the cell's `metadata.execution`),
// so every collaborator, the published page, versions and exports see the same.
//
// In .ipynb it is exactly what nbclient and JupyterLab write in
// `metadata.execution` (the four message timestamps, ISO 8601 from the kernel's
// message headers), plus our own keys in the same object, all strings, as the
// nbformat 4.5 schema requires of that object's extra keys:
//
//   iopub.status.busy, iopub.execute_input, shell.execute_reply, iopub.status.idle
//   cellmate.run_by        display name of who ran it
//   cellmate.run_by_id     their account id, or `guest:<id>`
//   cellmate.session       the kernel session it ran on (see kernelSessionOf)
//   cellmate.source_sha256 hex SHA-256 of the source (UTF-8) as it ran
//   cellmate.inputs        where the names it read came from when it ran:
//                          `<cell id>:<name>,<name>;<cell id>:<name>` (stale-marks.ts)
//
// The current kernel session lives in the notebook's `metadata.cellmate.kernel_session`;
// the kernel bridge sets a new one whenever a kernel starts or restarts.
//
// Everything read back here comes from a file or a peer: it is validated (strings,
// bounded lengths, well-formed timestamps) and a malformed field is ignored, never trusted.
import type * as Y from 'yjs';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { cellMetadataOf, cellTypeOf, findCell } from './cells';
import { CELL_ID_PATTERN } from './nbformat/cell-ids';
import { notebookMetadataOf, setNotebookMetadata } from './notebook-doc';
import type { YCell } from './schema';

/** The cell metadata key that holds the record (nbformat's). */
export const EXECUTION_METADATA = 'execution';

/** Keys inside `metadata.execution`. */
export const RunRecordKey = {
  busy: 'iopub.status.busy',
  executeInput: 'iopub.execute_input',
  executeReply: 'shell.execute_reply',
  idle: 'iopub.status.idle',
  runBy: 'cellmate.run_by',
  runById: 'cellmate.run_by_id',
  session: 'cellmate.session',
  sourceSha256: 'cellmate.source_sha256',
  inputs: 'cellmate.inputs',
} as const;

/** The notebook metadata key holding our notebook-level state, and its session field. */
export const NOTEBOOK_METADATA = 'cellmate';
export const KERNEL_SESSION_FIELD = 'kernel_session';

/** Where a name a cell read came from when it ran. */
export interface RunInput {
  cellId: string;
  names: string[];
}

export interface RunRecord {
  /** ISO 8601 timestamps from the kernel's message headers, as Jupyter names them. */
  busy?: string;
  executeInput?: string;
  executeReply?: string;
  idle?: string;
  runBy?: { name: string; id: string };
  session?: string;
  sourceSha256?: string;
  /** Absent when the run was recorded without them (another tool, or a non-Python kernel). */
  inputs?: RunInput[];
}

const MAX_FIELD = 256;
const MAX_INPUTS = 64 * 1024;
const isoPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;
const namePattern = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;

/** Microseconds since the epoch of an ISO 8601 timestamp (Jupyter's carry microseconds), or undefined. */
export function isoToMicros(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const m = isoPattern.exec(iso);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    const offset = (+digits.slice(1, 3) * 60 + +digits.slice(3, 5)) * 60_000;
    ms += digits[0] === '+' ? -offset : offset;
  }
  if (!Number.isFinite(ms)) return undefined;
  return ms * 1000 + Number((frac + '000000').slice(0, 6));
}

/** When the run began, in microseconds since the epoch (busy, else execute_input). */
export function runStartOf(record: RunRecord): number | undefined {
  return isoToMicros(record.busy) ?? isoToMicros(record.executeInput);
}

/** How long the run took in milliseconds (busy to idle, else to the reply), or undefined. */
export function runDurationMs(record: RunRecord): number | undefined {
  const start = runStartOf(record);
  const end = isoToMicros(record.idle) ?? isoToMicros(record.executeReply);
  return start === undefined || end === undefined || end < start ? undefined : (end - start) / 1000;
}

/** Hex SHA-256 of a source as UTF-8 (synchronous, so it works the same in the browser). */
export function sourceSha256(source: string): string {
  return bytesToHex(sha256(utf8ToBytes(source)));
}

/** The run record of a code cell, or undefined when it has none (or none we can read). */
export function runRecordOf(cell: YCell): RunRecord | undefined {
  if (cellTypeOf(cell) !== 'code') return undefined;
  const raw = cellMetadataOf(cell).get(EXECUTION_METADATA);
  return raw === undefined ? undefined : parseRunRecord(raw);
}

/** Reads `metadata.execution` JSON; fields that are not well-formed are dropped. */
export function parseRunRecord(raw: unknown): RunRecord | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  const str = (key: string, max = MAX_FIELD) => (typeof o[key] === 'string' && (o[key] as string).length <= max ? o[key] as string : undefined);
  const time = (key: string) => { const v = str(key); return isoToMicros(v) === undefined ? undefined : v; };
  const record: RunRecord = {};
  const busy = time(RunRecordKey.busy); if (busy) record.busy = busy;
  const input = time(RunRecordKey.executeInput); if (input) record.executeInput = input;
  const reply = time(RunRecordKey.executeReply); if (reply) record.executeReply = reply;
  const idle = time(RunRecordKey.idle); if (idle) record.idle = idle;
  const name = str(RunRecordKey.runBy);
  const id = str(RunRecordKey.runById);
  if (name !== undefined || id !== undefined) record.runBy = { name: name ?? '', id: id ?? '' };
  const session = str(RunRecordKey.session); if (session) record.session = session;
  const hash = str(RunRecordKey.sourceSha256);
  if (hash && /^[0-9a-f]{64}$/.test(hash)) record.sourceSha256 = hash;
  const inputs = str(RunRecordKey.inputs, MAX_INPUTS);
  if (inputs !== undefined) record.inputs = parseInputs(inputs);
  return Object.keys(record).length ? record : undefined;
}

/** The record as the JSON of `metadata.execution` (only the keys that are set). */
export function runRecordToJSON(record: RunRecord): Record<string, string> {
  const out: Record<string, string> = {};
  if (record.busy) out[RunRecordKey.busy] = record.busy;
  if (record.executeInput) out[RunRecordKey.executeInput] = record.executeInput;
  if (record.executeReply) out[RunRecordKey.executeReply] = record.executeReply;
  if (record.idle) out[RunRecordKey.idle] = record.idle;
  if (record.runBy) {
    out[RunRecordKey.runBy] = record.runBy.name;
    out[RunRecordKey.runById] = record.runBy.id;
  }
  if (record.session) out[RunRecordKey.session] = record.session;
  if (record.sourceSha256) out[RunRecordKey.sourceSha256] = record.sourceSha256;
  if (record.inputs) out[RunRecordKey.inputs] = record.inputs.map((i) => `${i.cellId}:${i.names.join(',')}`).join(';');
  return out;
}

function parseInputs(text: string): RunInput[] {
  if (text === '') return [];
  const inputs: RunInput[] = [];
  for (const part of text.split(';')) {
    const colon = part.indexOf(':');
    const cellId = part.slice(0, colon);
    const names = part.slice(colon + 1).split(',').filter((n) => namePattern.test(n));
    if (colon > 0 && CELL_ID_PATTERN.test(cellId) && names.length) inputs.push({ cellId, names });
  }
  return inputs;
}

/**
 * Writes a code cell's run record, replacing the previous one (other keys of
 * `metadata.execution`, e.g. `shell.execute_reply.started`, go with it: they
 * described the previous run). False when the cell is gone or not code.
 */
export function setRunRecord(doc: Y.Doc, cellId: string, record: RunRecord, origin?: unknown): boolean {
  const cell = findCell(doc, cellId);
  if (!cell || cellTypeOf(cell) !== 'code') return false;
  doc.transact(() => cellMetadataOf(cell).set(EXECUTION_METADATA, runRecordToJSON(record)), origin);
  return true;
}

/** The notebook's current kernel session id, or undefined when no kernel was started for it. */
export function kernelSessionOf(doc: Y.Doc): string | undefined {
  const ours = notebookMetadataOf(doc)[NOTEBOOK_METADATA];
  if (typeof ours !== 'object' || ours === null) return undefined;
  const session = (ours as Record<string, unknown>)[KERNEL_SESSION_FIELD];
  return typeof session === 'string' && session.length <= MAX_FIELD && session ? session : undefined;
}

/**
 * Starts a new kernel session in the document (a kernel started or restarted:
 * whatever ran before describes a state that no longer exists). Returns its id.
 */
export function startKernelSession(doc: Y.Doc, origin?: unknown): string {
  const session = crypto.randomUUID();
  const current = notebookMetadataOf(doc)[NOTEBOOK_METADATA];
  const base = typeof current === 'object' && current !== null && !Array.isArray(current) ? current as Record<string, unknown> : {};
  setNotebookMetadata(doc, NOTEBOOK_METADATA, { ...base, [KERNEL_SESSION_FIELD]: session }, origin);
  return session;
}
