// Does a cell's output on a clean run differ from the one the live notebook
// had? Compared on what a reader sees: the sequence of output types, and for
// each its text (stream text, text/plain, error name and value) with memory
// addresses, which change from process to process, masked. Rich data (images,
// HTML) is compared by its MIME types only: a re-rendered plot rarely matches byte
// for byte, and its text/plain (when present) already says what it is.
import type { OutputJSON } from '../notebook-model/nbformat/types';

const ADDRESS = /\b0x[0-9a-fA-F]{4,}\b/g;

function asText(value: unknown): string {
  if (Array.isArray(value)) return value.join('');
  return typeof value === 'string' ? value : '';
}

export interface ComparisonOptions {
  /**
   * Also compare the rich data (images, HTML…) exactly. The version diff does;
   * the fresh-run check does not (see above).
   */
  richData?: boolean;
}

/** The non-text data of a MIME bundle, as one string. */
function richDataOf(data: Record<string, unknown>): string {
  return Object.keys(data).filter((mime) => mime !== 'text/plain').sort()
    .map((mime) => `${mime}=${typeof data[mime] === 'string' || Array.isArray(data[mime]) ? asText(data[mime]) : JSON.stringify(data[mime])}`).join('|');
}

/** One output reduced to what the comparison looks at. */
export function outputSignature(output: OutputJSON, options: ComparisonOptions = {}): string {
  const mask = (text: string) => text.replace(ADDRESS, '0x…');
  switch (output.output_type) {
    case 'stream':
      return `stream:${output.name}:${mask(asText(output.text))}`;
    case 'error':
      return `error:${output.ename}:${mask(output.evalue)}`;
    case 'display_data':
    case 'execute_result': {
      const mimes = Object.keys(output.data ?? {}).sort().join(',');
      const data = (output.data ?? {}) as Record<string, unknown>;
      const base = `${output.output_type}:${mimes}:${mask(asText(data['text/plain']))}`;
      return options.richData ? `${base}:${richDataOf(data)}` : base;
    }
    default:
      return `other:${(output as { output_type: string }).output_type}`;
  }
}

/**
 * The signatures of a cell's outputs, adjacent stream chunks of one stream
 * joined first (the same printout may arrive split differently).
 */
export function outputSignatures(outputs: readonly OutputJSON[], options: ComparisonOptions = {}): string[] {
  const merged: OutputJSON[] = [];
  for (const output of outputs) {
    const last = merged[merged.length - 1];
    if (output.output_type === 'stream' && last?.output_type === 'stream' && last.name === output.name) {
      merged[merged.length - 1] = { ...last, text: asText(last.text) + asText(output.text) };
    } else {
      merged.push(output);
    }
  }
  return merged.map((output) => outputSignature(output, options));
}

export function outputsDiffer(live: readonly OutputJSON[], fresh: readonly OutputJSON[], options: ComparisonOptions = {}): boolean {
  const a = outputSignatures(live, options);
  const b = outputSignatures(fresh, options);
  return a.length !== b.length || a.some((signature, i) => signature !== b[i]);
}
