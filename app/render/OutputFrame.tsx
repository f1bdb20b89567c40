'use client';
// Kernel HTML/SVG in a sandboxed iframe (see output-frame-doc.ts for why), sized
// to its content from the height the frame reports. One window listener serves
// every frame on the page; a message counts only if it comes from the window of
// a frame we registered, and only that frame is resized.
import { useLayoutEffect, useMemo, useRef, useState, type JSX } from 'react';
import { buildFrameSrcdoc, FRAME_SANDBOX, frameHeightFromMessage, frameThemeMessage, type FrameContentKind } from '../../notebook-model/render/output-frame-doc';
import { savedTheme, subscribeTheme } from '../theme/theme';

type HeightListener = (height: number) => void;
const frames = new Map<HTMLIFrameElement, HeightListener>();

function onMessage(event: MessageEvent): void {
  const height = frameHeightFromMessage(event.data);
  if (height === undefined || !event.source) return;
  for (const [frame, listener] of frames) {
    if (frame.contentWindow === event.source) {
      listener(height);
      return;
    }
  }
}

function watchFrameHeight(frame: HTMLIFrameElement, listener: HeightListener): () => void {
  if (frames.size === 0) window.addEventListener('message', onMessage);
  frames.set(frame, listener);
  return () => {
    frames.delete(frame);
    if (frames.size === 0) window.removeEventListener('message', onMessage);
  };
}

/** Height before the frame has reported: one line, so short outputs barely move. */
const INITIAL_HEIGHT = 24;

/** Untrusted markup from the kernel, isolated in an opaque-origin iframe whose scripts still run. */
export function OutputFrame(props: { content: string; kind: FrameContentKind }): JSX.Element {
  const { content, kind } = props;
  const ref = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(INITIAL_HEIGHT);
  const srcDoc = useMemo(() => buildFrameSrcdoc(content, kind), [content, kind]);

  // Layout effect: registered before the frame's document can load and post.
  useLayoutEffect(() => {
    const frame = ref.current;
    if (!frame) return;
    return watchFrameHeight(frame, setHeight);
  }, []);

  // The person's light/dark choice, told to the frame when it loads and whenever it changes.
  useLayoutEffect(() => {
    const frame = ref.current;
    if (!frame) return;
    // The frame's origin is opaque, so '*' is the only target; the message carries nothing private.
    const tell = () => frame.contentWindow?.postMessage(frameThemeMessage(savedTheme()), '*');
    frame.addEventListener('load', tell);
    const unsubscribe = subscribeTheme(tell);
    return () => {
      frame.removeEventListener('load', tell);
      unsubscribe();
    };
  }, []);

  return (
    <iframe
      ref={ref}
      className={`output-frame output-frame-${kind}`}
      data-testid="output-frame"
      title={kind === 'svg' ? 'SVG output' : 'HTML output'}
      sandbox={FRAME_SANDBOX}
      referrerPolicy="no-referrer"
      srcDoc={srcDoc}
      style={{ height }}
    />
  );
}
