// Reading a .ipynb file: JSON text in, a validated, normalized NotebookJSON out.
//
// Steps, each with a message a user can act on when it fails:
// 1. JSON syntax (with line and column), and nesting depth (MAX_JSON_DEPTH);
// 2. format version: nbformat 4, or 3 upgraded to 4.5 as nbformat upgrades it
//    (upgrade-v3.ts); 2 and older must be converted in Jupyter;
// 3. the official schema for the file's minor version, plus unique cell ids;
// 4. normalization, matching nbformat's reader: multiline lists joined into
//    strings, session-only keys dropped, and the notebook upgraded to 4.5 by
//    minting cell ids where missing (all cells of a < 4.5 file, as nbformat's
//    upgrade does). Everything else — unknown metadata, unknown MIME types,
//    attachments, output metadata — is kept as it is.
import { duplicateIdProblems, mintCellId } from './cell-ids';
import { NotebookFormatError } from './errors';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';
import { findJsonSyntaxProblem } from './json-syntax';
import { rejoinCell } from './multiline';
import { schemaKeyFor } from './schema-validator';
import { schemaProblems } from './schema-problems';
import { upgradeV3 } from './upgrade-v3';
import { withoutTransientCellKeys, withoutTransientNotebookMetadata } from './transient-keys';
import type { CellJSON, NotebookJSON, NotebookMetadata } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The minor version parseNotebook upgrades older 4.x files to. */
export const CURRENT_NBFORMAT_MINOR = 5;

function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const where = findJsonSyntaxProblem(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    const detail = where
      ? `not JSON: ${where.message} at line ${where.line} column ${where.column}`
      : `not JSON: ${(e as Error).message}`;
    throw new NotebookFormatError([detail], 'This file is not a Jupyter notebook');
  }
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
    throw new NotebookFormatError([`the JSON is nested more than ${MAX_JSON_DEPTH} levels deep (objects within objects); no notebook needs that many`]);
  }
  return value;
}

function checkVersion(raw: unknown): Obj {
  if (!isObj(raw)) {
    throw new NotebookFormatError(['the file holds JSON, but not a notebook (expected an object with "cells", "metadata" and "nbformat")']);
  }
  const major = raw.nbformat;
  if (major === undefined) {
    throw new NotebookFormatError(['"nbformat" is missing, so this does not look like a Jupyter notebook']);
  }
  if (typeof major !== 'number' || !Number.isInteger(major)) {
    throw new NotebookFormatError([`"nbformat" must be a whole number, not ${JSON.stringify(major)}`]);
  }
  if (major === 3) return upgradeV3(raw);
  if (major < 3) {
    throw new NotebookFormatError([
      `nbformat ${major} notebooks are not supported; open and re-save in Jupyter to convert to version 4`,
    ], 'This notebook uses an old file format');
  }
  if (major > 4) {
    throw new NotebookFormatError([`nbformat ${major} is newer than the versions Cellmate reads (4.x)`],
      'This notebook uses a newer file format');
  }
  return raw;
}

/**
 * Parse, validate and normalize the text of a .ipynb file.
 * @throws NotebookFormatError listing every problem found.
 */
export function parseNotebook(text: string): NotebookJSON {
  let raw = checkVersion(parseJson(text));
  const minor = typeof raw.nbformat_minor === 'number' && Number.isInteger(raw.nbformat_minor) ? raw.nbformat_minor : CURRENT_NBFORMAT_MINOR;
  const taken = new Set<string>();
  if (minor >= CURRENT_NBFORMAT_MINOR && Array.isArray(raw.cells)) {
    // 4.5 requires ids, but files without them are common; nbformat mints them before validating too.
    for (const c of raw.cells) if (isObj(c) && typeof c.id === 'string') taken.add(c.id);
    raw = { ...raw, cells: raw.cells.map((c) => (isObj(c) && !('id' in c) ? { id: mintCellId(taken), ...c } : c)) };
  }
  const problems = schemaProblems(raw, schemaKeyFor(minor));
  if (minor >= CURRENT_NBFORMAT_MINOR && Array.isArray(raw.cells)) {
    problems.push(...duplicateIdProblems(raw.cells.map((c) => (isObj(c) && typeof c.id === 'string' ? c.id : undefined))));
  }
  if (problems.length > 0) throw new NotebookFormatError(problems);

  const cells = (raw.cells as Obj[]).map((c) => rejoinCell(withoutTransientCellKeys(c)));
  // nbformat's upgrade to 4.5 gives every cell a new id.
  if (minor < CURRENT_NBFORMAT_MINOR) for (const cell of cells) cell.id = mintCellId(taken);
  return {
    ...raw,
    nbformat: 4,
    nbformat_minor: Math.max(minor, CURRENT_NBFORMAT_MINOR),
    metadata: withoutTransientNotebookMetadata(raw.metadata) as NotebookMetadata,
    cells: cells as unknown as CellJSON[],
  };
}
