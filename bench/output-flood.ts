// A cell printing 100,000 lines, written into a Yjs document by the cell runner
// (output writer batching per event-loop turn). Prints per round: wall time from
// start to the cell being idle, outputs in the cell, kernel-origin transactions,
// bytes of all document updates, and the encoded document size after; a second
// replica applies every update, as a collaborator would. Reference in the same
// run: the same code through KernelClient alone (no document), i.e. the kernel
// and wire cost the writer adds to.
//   node --import tsx bench/output-flood.ts [lines=100000] [rounds=3]
import * as Y from 'yjs';
import { findCell, insertCell, kernelOrigin, outputsOf, outputToJSON } from '../notebook-model';
import { KernelClient } from '../kernel-bridge/kernel-client';
import { runCell } from '../kernel-bridge/cell-runner';

const lines = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);
const code = `for i in range(${lines}):\n    print(i)`;

interface Figures {
  ms: number;
  outputs: number;
  transactions: number;
  updateBytes: number;
  docBytes: number;
  streamMessages: number;
  complete: boolean;
}

async function throughDocument(kernel: KernelClient): Promise<Figures> {
  const doc = new Y.Doc();
  const replica = new Y.Doc();
  const id = insertCell(doc, 0, { cell_type: 'code', source: code });
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  let transactions = 0;
  let updateBytes = 0;
  let streamMessages = 0;
  doc.on('afterTransaction', (tr: Y.Transaction) => { if (tr.origin === kernelOrigin) transactions++; });
  doc.on('update', (update: Uint8Array) => {
    updateBytes += update.length;
    Y.applyUpdate(replica, update);
  });
  const count = (msg: { header: { msg_type: string } }) => { if (msg.header.msg_type === 'stream') streamMessages++; };
  kernel.on('iopub', count);
  const t0 = performance.now();
  const outcome = await runCell(kernel, doc, id);
  const ms = performance.now() - t0;
  kernel.off('iopub', count);
  if (outcome.status !== 'ok') throw new Error(`the cell failed: ${JSON.stringify(outcome)}`);
  const outputs = outputsOf(findCell(replica, id)!);
  const first = outputs.length ? outputToJSON(outputs.get(0)) : undefined;
  const complete = first?.output_type === 'stream' && first.text.length === expectedLength(lines);
  return { ms, outputs: outputs.length, transactions, updateBytes, docBytes: Y.encodeStateAsUpdate(doc).length, streamMessages, complete };
}

async function kernelOnly(kernel: KernelClient): Promise<number> {
  const t0 = performance.now();
  const outcome = await kernel.execute(code).done;
  if (outcome.status !== 'completed') throw new Error('the kernel died');
  return performance.now() - t0;
}

function expectedLength(n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += String(i).length + 1;
  return total;
}

const kernel = await KernelClient.start({ specName: 'python3' });
try {
  await kernelOnly(kernel); // warm-up
  console.log(`cell printing ${lines.toLocaleString('en')} lines, ${rounds} rounds`);
  console.log('round  runCell ms  kernel-only ms  outputs  stream msgs  transactions  update bytes  doc bytes  complete');
  for (let r = 1; r <= rounds; r++) {
    const reference = await kernelOnly(kernel);
    const f = await throughDocument(kernel);
    console.log([
      String(r).padStart(5), f.ms.toFixed(0).padStart(11), reference.toFixed(0).padStart(15), String(f.outputs).padStart(8),
      String(f.streamMessages).padStart(12), String(f.transactions).padStart(13), String(f.updateBytes).padStart(13),
      String(f.docBytes).padStart(10), String(f.complete).padStart(9),
    ].join(' '));
  }
} finally {
  await kernel.shutdown();
}
