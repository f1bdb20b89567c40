// Rendering a hostile markdown cell: thousands of lines that each open a math
// block (`\begin{env}` or `$$`) and never close it. A notebook is opened by
// strangers (published pages, workshop links), so one such cell must not stall
// the editor, the published page or the export. Reference: before the block
// rule remembered where no closer exists, 20,000 `\begin{a}` lines took 15.7 s
// (quadratic); the target is linear growth (10x the lines, about 10x the time).
//
//   node --import tsx bench/markdown-hostile.ts
import { performance } from 'node:perf_hooks';
import { markdownToHtml } from '../notebook-model/render/markdown-to-html';

function timeMs(source: string): number {
  const start = performance.now();
  markdownToHtml(source);
  return performance.now() - start;
}

markdownToHtml('warm up $x$\n\n$$\ny\n$$'); // KaTeX and markdown-it compile once
for (const [name, line] of [['\\begin{a}', (i: number) => `\\begin{a} line ${i}`], ['$$', (i: number) => `$$ x_${i}`]] as const) {
  const small = timeMs(Array.from({ length: 2_000 }, (_, i) => line(i)).join('\n'));
  const large = timeMs(Array.from({ length: 20_000 }, (_, i) => line(i)).join('\n'));
  console.log(`${name.padEnd(10)} 2,000 lines ${small.toFixed(0).padStart(6)} ms   20,000 lines ${large.toFixed(0).padStart(6)} ms   growth ${(large / small).toFixed(1)}x (linear: 10x; reference for \\begin at 20,000: 15,700 ms)`);
}
