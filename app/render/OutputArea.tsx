'use client';
// A code cell's outputs, live from the shared document. Subscriptions are as
// narrow as the change: the array (outputs added, removed, cleared), each output
// map (update_display_data replacing `data`), and each stream's Y.Text. A stream
// that grows redraws only its own <pre>, at most once per animation frame however
// many appends arrive, and within it only the last chunk (stream-chunks.ts), so a
// 100,000-line print does not re-render the notebook per line.
import { useEffect, useRef, useState, type JSX, type RefObject } from 'react';
import type * as Y from 'yjs';
import { outputToJSON, outputType, streamNameOf, streamTextOf } from '../../notebook-model/outputs';
import type { YOutput } from '../../notebook-model/schema';
import { OutputView, StreamOutput } from './OutputView';
import { useLatest } from '../hooks/use-latest';

/**
 * The outputs of one code cell, re-rendered as the kernel (or a collaborator)
 * changes them. With `maxHeight` they scroll inside a box of that height, and
 * `onTall` hears whether they are taller than it (so a toggle can be offered).
 */
export function OutputArea(props: { outputs: Y.Array<YOutput>; maxHeight?: number | null; onTall?: (tall: boolean) => void }): JSX.Element {
  const { outputs, maxHeight, onTall } = props;
  const items = useYArrayItems(outputs);
  const content = useRef<HTMLDivElement>(null);
  useTallness(content, maxHeight ?? OUTPUT_BOX_HEIGHT, onTall);
  return (
    <div className="output-area" data-testid="output-area" data-bounded={maxHeight ? 'true' : undefined} style={maxHeight ? { maxHeight } : undefined}>
      <div className="output-area-content" ref={content}>
        {items.map((output) => (
          <LiveOutput key={keyOf(output)} output={output} />
        ))}
      </div>
    </div>
  );
}

/** Height in CSS pixels of the box long outputs scroll in (Jupyter's is about as tall). */
export const OUTPUT_BOX_HEIGHT = 480;

/** Tells `onTall` whether the content is taller than `limit`, each time that changes. */
function useTallness(content: RefObject<HTMLDivElement | null>, limit: number, onTall?: (tall: boolean) => void): void {
  const latest = useLatest(onTall);
  useEffect(() => {
    const element = content.current;
    if (!element || !latest.current || typeof ResizeObserver !== 'function') return;
    let last: boolean | null = null;
    const observer = new ResizeObserver(() => {
      const tall = element.offsetHeight > limit;
      if (tall !== last) latest.current?.((last = tall));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [content, limit, latest]);
}

/** Stable React keys for Y.Maps: an output keeps its key while it stays in the array. */
const keys = new WeakMap<YOutput, number>();
let nextKey = 1;
function keyOf(output: YOutput): number {
  let key = keys.get(output);
  if (key === undefined) {
    key = nextKey++;
    keys.set(output, key);
  }
  return key;
}

function useYArrayItems(outputs: Y.Array<YOutput>): YOutput[] {
  const [items, setItems] = useState(() => outputs.toArray());
  useEffect(() => {
    const update = () => setItems(outputs.toArray());
    update();
    outputs.observe(update);
    return () => outputs.unobserve(update);
  }, [outputs]);
  return items;
}

/**
 * A value read from `type`, re-read after every change inside it (at most once
 * per animation frame when `perFrame`), and once on subscribing, in case the
 * document changed between render and effect. `read` must depend only on `type`.
 */
function useYSnapshot<V>(type: YOutput, read: (type: YOutput) => V, perFrame: boolean): V {
  const [snapshot, setSnapshot] = useState(() => read(type));
  useEffect(() => {
    let frame = 0;
    const refresh = () => setSnapshot(read(type));
    const onChange = () => {
      if (!perFrame) return refresh();
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        refresh();
      });
    };
    refresh();
    type.observeDeep(onChange);
    return () => {
      type.unobserveDeep(onChange);
      if (frame) cancelAnimationFrame(frame);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- read is a pure function of type
  }, [type, perFrame]);
  return snapshot;
}

function LiveOutput({ output }: { output: YOutput }): JSX.Element {
  if (outputType(output) === 'stream') return <LiveStream output={output} />;
  return <LiveBundle output={output} />;
}

function LiveBundle({ output }: { output: YOutput }): JSX.Element {
  const json = useYSnapshot(output, readOutput, false);
  return <OutputView output={json} />;
}

function LiveStream({ output }: { output: YOutput }): JSX.Element {
  // Map-level changes (rare) and text appends (frequent, drawn once per frame) both arrive through observeDeep.
  const text = useYSnapshot(output, readStreamText, true);
  return <StreamOutput name={streamNameOf(output) ?? 'stdout'} text={text} />;
}

function readOutput(output: YOutput) {
  return outputToJSON(output);
}

function readStreamText(output: YOutput): string {
  return streamTextOf(output)?.toString() ?? '';
}
