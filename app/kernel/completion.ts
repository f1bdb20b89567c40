// Tab completion from the kernel (complete_request through the bridge) as a
// CodeMirror 6 extension. Completion never starts while typing: Tab asks for it
// when the cursor follows a name, a dot or an opening quote (elsewhere Tab still
// indents), and Tab or Enter accepts the chosen match. While the list is open,
// typing more of the name narrows it locally without asking the kernel again.
import {
  acceptCompletion, autocompletion, completionStatus, startCompletion,
  type Completion, type CompletionContext, type CompletionResult,
} from '@codemirror/autocomplete';
import { Prec, type Extension } from '@codemirror/state';
import { keymap, type EditorView } from '@codemirror/view';
import { toCodePoints, toUtf16 } from './code-points';
import type { CompleteReply, KernelClient } from './kernel-client';

/** Jupyter's experimental completion types mapped to CodeMirror's icon classes. */
const typeNames: Record<string, string> = {
  function: 'function',
  class: 'class',
  module: 'namespace',
  keyword: 'keyword',
  instance: 'variable',
  statement: 'variable',
  param: 'variable',
  property: 'property',
  path: 'text',
  magic: 'keyword',
};

/** Options for the list from a kernel's reply, in the kernel's order. */
export function completionOptions(reply: CompleteReply): Completion[] {
  const typed = new Map((reply.metadata?._jupyter_types_experimental ?? []).map((t) => [t.text, t]));
  return reply.matches.map((match, index) => {
    const info = typed.get(match);
    return {
      label: match,
      type: info?.type ? typeNames[info.type] ?? info.type : undefined,
      detail: info?.signature || undefined,
      // Keep the kernel's ranking (CodeMirror otherwise sorts by its own match score only).
      boost: -index / Math.max(1, reply.matches.length),
    };
  });
}

/** A completion source asking the kernel; null when the kernel is not running or has nothing. */
export function kernelCompletionSource(client: KernelClient) {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    if (!context.explicit) return null;
    const code = context.state.doc.toString();
    const controller = new AbortController();
    context.addEventListener('abort', () => controller.abort());
    let reply: CompleteReply;
    try {
      reply = await client.complete(code, toCodePoints(code, context.pos), controller.signal);
    } catch {
      // No kernel yet (409) or the bridge is away: completing is a convenience, stay quiet.
      return null;
    }
    if (context.aborted || reply.status !== 'ok' || reply.matches.length === 0) return null;
    return {
      from: toUtf16(code, reply.cursor_start),
      to: toUtf16(code, reply.cursor_end),
      options: completionOptions(reply),
      validFor: /^[\w$]*$/,
    };
  };
}

/** True when the character before the cursor is one Tab should complete after. */
export function completesAfter(before: string): boolean {
  return /[\w.$'"/]$/.test(before);
}

function tabCompletes(view: EditorView): boolean {
  const status = completionStatus(view.state);
  // While the list is open or being fetched, Tab belongs to completion, never to indentation.
  if (status === 'active') return acceptCompletion(view) || true;
  if (status === 'pending') return true;
  const { main } = view.state.selection;
  if (!main.empty) return false;
  const line = view.state.doc.lineAt(main.head);
  if (!completesAfter(line.text.slice(0, main.head - line.from))) return false;
  return startCompletion(view);
}

/** The extension for a code cell's editor: kernel completion on Tab. */
export function kernelCompletion(client: KernelClient): Extension {
  return [
    // The list only opens on Tab, so a quick second Tab is meant: accept without the usual delay.
    autocompletion({ override: [kernelCompletionSource(client)], activateOnTyping: false, closeOnBlur: true, interactionDelay: 0 }),
    // Above the editor's own Tab (indent), which still applies where nothing completes.
    Prec.high(keymap.of([{ key: 'Tab', run: tabCompletes }])),
  ];
}
