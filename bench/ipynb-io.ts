// Reading and writing .ipynb files: our parse (JSON + schema validation +
// normalization) and serialize, per corpus file and for a generated 2,000-cell
// notebook, beside Debian's Python nbformat (reads + writes, timed inside one
// Python process). Run: node --import tsx bench/ipynb-io.ts
import { spawnSync } from 'node:child_process';
import { parseNotebook, serializeNotebook } from '../notebook-model/nbformat/index';
import { readNotebookFiles } from '../notebook-model/nbformat/test-corpus';

const RUNS = 5;

function generated(cells: number): string {
  const nb = {
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    cells: Array.from({ length: cells }, (_, i) => (i % 3 === 0
      ? { id: `m${i}`, cell_type: 'markdown', metadata: {}, source: `## Section ${i}\n\nSome text with $x^${i}$.` }
      : { id: `c${i}`, cell_type: 'code', metadata: { tags: ['t'] }, execution_count: i,
        source: `for k in range(${i}):\n    print(k)\nvalue_${i} = ${i} * 2\nvalue_${i}`,
        outputs: [
          { output_type: 'stream', name: 'stdout', text: '0\n1\n2\n' },
          { output_type: 'execute_result', execution_count: i, metadata: {}, data: { 'text/plain': String(i * 2) } },
        ] })),
  };
  return serializeNotebook(parseNotebook(JSON.stringify(nb)));
}

function best(f: () => void): number {
  let min = Infinity;
  for (let i = 0; i < RUNS; i++) { const t = performance.now(); f(); min = Math.min(min, performance.now() - t); }
  return min;
}

const files = [...readNotebookFiles('corpus'), { name: 'generated-2000-cells', text: generated(2000) }];
parseNotebook(files[0].text); // compile the schemas once, as a running server would have

const python = String.raw`
import json, sys, time, warnings
warnings.simplefilter("ignore")
import nbformat
out = {}
for item in json.load(sys.stdin):
    best = float("inf")
    for _ in range(${RUNS}):
        t = time.perf_counter()
        nbformat.writes(nbformat.reads(item["text"], 4))
        best = min(best, time.perf_counter() - t)
    out[item["name"]] = best * 1000
json.dump(out, sys.stdout)
`;
const r = spawnSync('/usr/bin/python3', ['-c', python], { input: JSON.stringify(files), encoding: 'utf8', maxBuffer: 1 << 28 });
const py: Record<string, number> = r.status === 0 ? JSON.parse(r.stdout) : {};
if (r.status !== 0) console.error(`python nbformat timing failed: ${r.stderr}`);

console.log(`best of ${RUNS}; ours = parse + validate + serialize; nbformat = reads + writes`);
console.log(`${'file'.padEnd(48)} ${'KB'.padStart(6)} ${'parse'.padStart(8)} ${'write'.padStart(8)} ${'ours'.padStart(8)} ${'nbformat'.padStart(9)}`);
for (const { name, text } of files) {
  const nb = parseNotebook(text);
  const parse = best(() => parseNotebook(text));
  const write = best(() => serializeNotebook(nb));
  const ms = (x: number | undefined) => (x === undefined ? '–' : `${x.toFixed(1)}ms`);
  console.log(`${name.padEnd(48)} ${(text.length / 1024).toFixed(0).padStart(6)} ${ms(parse).padStart(8)} ${ms(write).padStart(8)} ${ms(parse + write).padStart(8)} ${ms(py[name]).padStart(9)}`);
}
