// The stale marks on a 2,000-cell notebook after a one-character edit, the cost
// every collaborator's editor pays per keystroke (notebook-model/stale-marks.ts).
// The notebook is the data-science corpus's real code cells repeated to 2,000
// code cells (plus their markdown), every cell run top to bottom with a run
// record as the kernel bridge writes it; then each round types one character in a
// cell in the middle and recomputes the marks for the whole notebook.
//
//   node --import tsx bench/stale-marks.ts
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { cellsOf, cellTypeOf, cellIdOf, emptyNotebook, notebookToDoc, sourceOf } from '../notebook-model';
import { parseNotebook } from '../notebook-model/nbformat';
import { readNotebookFiles } from '../notebook-model/nbformat/test-corpus';
import { recordRun } from '../notebook-model/execution';
import { startKernelSession } from '../notebook-model/run-record';
import { cellsToRunForStale, staleMarks } from '../notebook-model/stale-marks';
import { percentile } from './bench-kit';

const CODE_CELLS = 2_000;
const ROUNDS = Number(process.env.ROUNDS ?? 200);
const TARGET_MS = 20;

const corpusCells = readNotebookFiles('corpus').filter((f) => f.name.startsWith('pdsh-'))
  .flatMap((f) => parseNotebook(f.text).cells);
const code = corpusCells.filter((c) => c.cell_type === 'code');
const cells = [];
for (let i = 0, n = 0; n < CODE_CELLS; i++) {
  const cell = corpusCells[i % corpusCells.length];
  cells.push({ ...cell, id: `c${i}` });
  if (cell.cell_type === 'code') n++;
}
const doc = notebookToDoc({ ...emptyNotebook(), cells } as never);
startKernelSession(doc);

const recordStart = performance.now();
let clock = Date.UTC(2026, 11, 1);
for (const cell of cellsOf(doc).toArray()) {
  if (cellTypeOf(cell) !== 'code') continue;
  const t = (n: number) => new Date(clock + n).toISOString();
  recordRun(doc, cellIdOf(cell), { source: sourceOf(cell).toString(), timestamps: { busy: t(0), executeInput: t(1), executeReply: t(2), idle: t(3) } });
  clock += 10;
}
const recordMs = performance.now() - recordStart;

const cold = performance.now();
staleMarks(doc);
const coldMs = performance.now() - cold;

const middle = cellsOf(doc).toArray().filter((c) => cellTypeOf(c) === 'code')[CODE_CELLS / 2];
const text = sourceOf(middle);
const times: number[] = [];
const cpuTimes: number[] = [];
let stale = 0;
for (let round = 0; round < ROUNDS; round++) {
  doc.transact(() => text.insert(text.length, round % 2 ? ' ' : '#'));
  const cpu = process.cpuUsage();
  const start = performance.now();
  const marks = staleMarks(doc);
  times.push(performance.now() - start);
  cpuTimes.push(process.cpuUsage(cpu).user / 1000);
  stale = marks.cells.filter((m) => m.state === 'stale').length;
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);

const runStart = performance.now();
const toRun = cellsToRunForStale(doc);
const runMs = performance.now() - runStart;

const size = Y.encodeStateAsUpdate(doc).length;
console.log(`notebook: ${cellsOf(doc).length} cells (${CODE_CELLS} code, from ${code.length} corpus code cells), ${(size / 1e6).toFixed(1)} MB as a Yjs update`);
console.log(`recording ${CODE_CELLS} runs (recordRun, includes first analysis): ${recordMs.toFixed(0)} ms`);
console.log(`first staleMarks (caches warm from recording): ${coldMs.toFixed(1)} ms`);
console.log(`staleMarks after a one-character edit, ${ROUNDS} rounds: median ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms   (target: under ${TARGET_MS} ms per change)`);
console.log(`  the same in CPU time (less sensitive to other processes on the machine): median ${percentile(cpuTimes, 50).toFixed(2)} ms, p95 ${percentile(cpuTimes, 95).toFixed(2)} ms`);
console.log(`stale cells after the edit: ${stale}; cellsToRunForStale: ${toRun.length} cells in ${runMs.toFixed(1)} ms`);
