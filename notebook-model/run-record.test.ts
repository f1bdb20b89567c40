// The run record: written into the document, exported as nbformat's
// `metadata.execution` (valid for Python's nbformat, readable by JupyterLab's
// model), read back on import, and never trusted when malformed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { YNotebook } from '@jupyter/ydoc';
import { findCell, insertCell } from './cells';
import { docToNotebook, emptyNotebook, notebookToDoc } from './notebook-doc';
import { parseNotebook, serializeNotebook } from './nbformat';
import { checkWithNbformat } from './nbformat/python-oracle';
import { notebooksDir } from './nbformat/test-corpus';
import {
  kernelSessionOf, parseRunRecord, runDurationMs, runRecordOf, setRunRecord, sourceSha256, startKernelSession, type RunRecord,
} from './run-record';

const corpus = join(notebooksDir, 'corpus');

const record: RunRecord = {
  busy: '2026-12-01T10:00:00.100200Z',
  executeInput: '2026-12-01T10:00:00.100900Z',
  executeReply: '2026-12-01T10:00:01.350000Z',
  idle: '2026-12-01T10:00:01.351000Z',
  runBy: { name: 'Ada Lovelace', id: 'user_123' },
  session: 'f1e2d3c4-0000-4000-8000-000000000001',
  sourceSha256: sourceSha256('x = 1'),
  inputs: [{ cellId: 'cell-a', names: ['x', 'df'] }, { cellId: 'b2', names: ['np'] }],
};

function oneCellDoc(source = 'x = 1') {
  const doc = notebookToDoc({ ...emptyNotebook(), cells: [] });
  const id = insertCell(doc, 0, { cell_type: 'code', source });
  return { doc, id };
}

test('the record is written as metadata.execution with Jupyter\'s keys and ours, all strings', () => {
  const { doc, id } = oneCellDoc();
  assert.equal(setRunRecord(doc, id, record), true);
  const execution = (docToNotebook(doc).cells[0].metadata as Record<string, unknown>).execution;
  assert.deepEqual(execution, {
    'iopub.status.busy': '2026-12-01T10:00:00.100200Z',
    'iopub.execute_input': '2026-12-01T10:00:00.100900Z',
    'shell.execute_reply': '2026-12-01T10:00:01.350000Z',
    'iopub.status.idle': '2026-12-01T10:00:01.351000Z',
    'cellmate.run_by': 'Ada Lovelace',
    'cellmate.run_by_id': 'user_123',
    'cellmate.session': 'f1e2d3c4-0000-4000-8000-000000000001',
    'cellmate.source_sha256': '8ff436def1451285599a1b1ad70800493b8dcafde2912e1a38345633054e4c26',
    'cellmate.inputs': 'cell-a:x,df;b2:np',
  });
  assert.deepEqual(runRecordOf(findCell(doc, id)!), record);
  assert.equal(runDurationMs(record), 1250.8);
});

test('a saved file with records is valid nbformat 4.5 for Python\'s nbformat and reads back on import', () => {
  const { doc, id } = oneCellDoc();
  setRunRecord(doc, id, record);
  startKernelSession(doc);
  const session = kernelSessionOf(doc);
  const text = serializeNotebook(docToNotebook(doc));
  const [verdict] = checkWithNbformat([{ name: 'record', input: text, ours: text }]);
  assert.equal(verdict.valid, true, verdict.validationError);
  const back = notebookToDoc(parseNotebook(text));
  assert.deepEqual(runRecordOf(findCell(back, id)!), record);
  assert.equal(kernelSessionOf(back), session);
});

test('a non-string value in metadata.execution is refused on import by the nbformat schema', () => {
  const { doc, id } = oneCellDoc();
  setRunRecord(doc, id, record);
  const nb = docToNotebook(doc);
  (nb.cells[0].metadata as { execution: Record<string, unknown> }).execution['cellmate.session'] = 7;
  assert.throws(() => parseNotebook(JSON.stringify(nb)), /execution/);
});

test('JupyterLab\'s timings (nbformat test file) are read: timestamps and duration, no Cellmate fields', () => {
  const nb = parseNotebook(readFileSync(join(corpus, 'nbformat-test4jupyter_metadata_timings.ipynb'), 'utf8'));
  const doc = notebookToDoc(nb);
  const cell = findCell(doc, nb.cells[0].id!)!;
  const read = runRecordOf(cell)!;
  assert.equal(read.busy, '2019-08-26T17:50:29.603423Z');
  assert.equal(read.idle, '2019-08-26T17:50:29.628032Z');
  assert.equal(read.session, undefined);
  assert.equal(read.sourceSha256, undefined);
  assert.equal(runDurationMs(read), 24.609);
  // The extra key JupyterLab writes is kept until the next run replaces the record.
  assert.equal((docToNotebook(doc).cells[0].metadata as { execution: Record<string, string> }).execution['shell.execute_reply.started'], '2019-08-26T17:50:29.604616Z');
});

test('malformed fields from a peer or a file are ignored, the rest is read', () => {
  const read = parseRunRecord({
    'iopub.status.busy': 'yesterday',
    'iopub.status.idle': '2026-12-01T10:00:01+02:00',
    'cellmate.session': 'x'.repeat(10_000),
    'cellmate.source_sha256': 'not-a-hash',
    'cellmate.run_by': 42,
    'cellmate.inputs': 'ok-id:x,1bad,y;../evil:z;:w;just-text',
  });
  assert.deepEqual(read, { idle: '2026-12-01T10:00:01+02:00', inputs: [{ cellId: 'ok-id', names: ['x', 'y'] }] });
  assert.equal(parseRunRecord('a string'), undefined);
  assert.equal(parseRunRecord([1, 2]), undefined);
  assert.equal(parseRunRecord({}), undefined);
});

test('a new kernel session replaces the previous one and keeps other notebook metadata', () => {
  const { doc } = oneCellDoc();
  assert.equal(kernelSessionOf(doc), undefined);
  const first = startKernelSession(doc);
  const second = startKernelSession(doc);
  assert.notEqual(first, second);
  assert.equal(kernelSessionOf(doc), second);
  assert.equal((docToNotebook(doc).metadata as { kernelspec: { name: string } }).kernelspec.name, 'python3');
});

test('JupyterLab\'s YNotebook sees our record as the cell\'s execution metadata, and we read its', () => {
  const { doc, id } = oneCellDoc();
  setRunRecord(doc, id, record);
  const theirs = new YNotebook();
  try {
    Y.applyUpdate(theirs.ydoc, Y.encodeStateAsUpdate(doc));
    const execution = theirs.cells[0].getMetadata('execution') as Record<string, string>;
    assert.equal(execution['iopub.status.busy'], record.busy);
    assert.equal(execution['cellmate.run_by'], 'Ada Lovelace');
    // JupyterLab (recordTiming) writes its own timings on a re-run: we read them.
    theirs.cells[0].setMetadata('execution', { 'iopub.status.busy': '2026-12-02T08:00:00.000001Z', 'iopub.status.idle': '2026-12-02T08:00:00.500001Z' });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(theirs.ydoc));
    const read = runRecordOf(findCell(doc, id)!)!;
    assert.equal(read.busy, '2026-12-02T08:00:00.000001Z');
    assert.equal(read.session, undefined);
    assert.equal(runDurationMs(read), 500);
  } finally {
    theirs.dispose();
  }
});
