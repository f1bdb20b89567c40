// Outputs of a code cell: conversion between nbformat output JSON and the
// document's Y.Maps, and the operations the kernel bridge and the UI perform.
import * as Y from 'yjs';
import type { OutputJSON } from './nbformat/types';
import { OutputKey, type YOutput } from './schema';

/** Builds the Y.Map for one output; a stream's text becomes a Y.Text. */
export function createOutput(output: OutputJSON): YOutput {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(output)) {
    if (value === undefined) continue;
    if (key === OutputKey.text && output.output_type === 'stream') {
      map.set(key, new Y.Text(joinMultiline(value as string | string[])));
    } else {
      map.set(key, value);
    }
  }
  return map;
}

/** The nbformat JSON of an output (without our `transient` bookkeeping unless asked). */
export function outputToJSON(output: YOutput, options: { keepTransient?: boolean } = {}): OutputJSON {
  const json: Record<string, unknown> = {};
  for (const [key, value] of output.entries()) {
    if (key === OutputKey.transient && !options.keepTransient) continue;
    json[key] = value instanceof Y.Text ? value.toString() : value instanceof Y.AbstractType ? value.toJSON() : value;
  }
  return json as unknown as OutputJSON;
}

export function outputType(output: YOutput): OutputJSON['output_type'] {
  return output.get(OutputKey.outputType) as OutputJSON['output_type'];
}

/** The display id an output was created with (display_data with `transient.display_id`). */
export function displayIdOf(output: YOutput): string | undefined {
  const transient = output.get(OutputKey.transient) as { display_id?: unknown } | undefined;
  return typeof transient?.display_id === 'string' ? transient.display_id : undefined;
}

/** Replaces a display output's data and metadata in place (update_display_data). */
export function replaceDisplayData(output: YOutput, data: unknown, metadata: unknown): void {
  output.set('data', data);
  output.set('metadata', metadata ?? {});
}

/** The Y.Text of a stream output, or undefined for any other output. */
export function streamTextOf(output: YOutput): Y.Text | undefined {
  const text = output.get(OutputKey.text);
  return text instanceof Y.Text ? text : undefined;
}

export function streamNameOf(output: YOutput): string | undefined {
  return outputType(output) === 'stream' ? (output.get('name') as string) : undefined;
}

function joinMultiline(value: string | string[]): string {
  return Array.isArray(value) ? value.join('') : value;
}
