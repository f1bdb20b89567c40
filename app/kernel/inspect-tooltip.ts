// Shift+Tab help: asks the kernel to inspect the name at the cursor
// (inspect_request through the bridge) and shows its answer (IPython's
// signature and docstring, ANSI-coloured) in a tooltip under the cursor. The
// tooltip closes when the text or the cursor moves or the editor loses focus;
// an answer that arrives after such a move is dropped. On a blank line start,
// Shift+Tab keeps its editor meaning (dedent).
import { Prec, StateEffect, StateField, type Extension } from '@codemirror/state';
import { EditorView, keymap, showTooltip, type Tooltip } from '@codemirror/view';
import { ansiToHtml } from '../../notebook-model/render/ansi-to-html';
import { toCodePoints } from './code-points';
import { KernelRequestError, type InspectReply, type KernelClient } from './kernel-client';
import { API_ERROR } from '../../notebook-model/service-protocol';

/** Help longer than this is cut (a tooltip is not a pager). */
const MAX_HELP_CHARS = 20_000;

interface InspectHelp {
  pos: number;
  /** Terminal text (may contain ANSI codes). */
  text: string;
}

const setHelp = StateEffect.define<InspectHelp | null>();

const helpField = StateField.define<Tooltip | null>({
  create: () => null,
  update(tooltip, tr) {
    for (const effect of tr.effects) if (effect.is(setHelp)) return effect.value ? helpTooltip(effect.value) : null;
    if (tooltip && (tr.docChanged || tr.selection)) return null;
    return tooltip;
  },
  provide: (field) => showTooltip.from(field),
});

function helpTooltip(help: InspectHelp): Tooltip {
  return {
    pos: help.pos,
    above: false,
    create: () => {
      const dom = document.createElement('div');
      dom.className = 'kernel-inspect-tooltip';
      dom.setAttribute('data-testid', 'inspect-tooltip');
      const pre = document.createElement('pre');
      // ansiToHtml escapes all text; only its own colour spans become markup.
      pre.innerHTML = ansiToHtml(help.text.length > MAX_HELP_CHARS ? `${help.text.slice(0, MAX_HELP_CHARS)}\n…` : help.text);
      dom.appendChild(pre);
      return { dom };
    },
  };
}

/** The text a reply offers as help, or null when the kernel found nothing. */
export function helpTextOf(reply: InspectReply): string | null {
  if (reply.status !== 'ok' || !reply.found) return null;
  const plain = reply.data['text/plain'];
  if (typeof plain === 'string' && plain.trim() !== '') return plain;
  return null;
}

function inspectAtCursor(client: KernelClient, view: EditorView): boolean {
  const { main } = view.state.selection;
  if (!main.empty) return false;
  const line = view.state.doc.lineAt(main.head);
  if (line.text.slice(0, main.head - line.from).trim() === '') return false;
  const doc = view.state.doc;
  const code = doc.toString();
  const pos = main.head;
  const stillThere = () => view.state.doc === doc && view.state.selection.main.head === pos && view.hasFocus;
  client.inspect(code, toCodePoints(code, pos), 0).then(
    (reply) => {
      if (!stillThere()) return;
      view.dispatch({ effects: setHelp.of({ pos, text: helpTextOf(reply) ?? 'No help found for this name.' }) });
    },
    (err) => {
      if (!stillThere()) return;
      const text = err instanceof KernelRequestError && err.code === API_ERROR.kernelNotStarted
        ? 'Help comes from the running kernel: run a cell to start it.'
        : `No help available: ${(err as Error).message}`;
      view.dispatch({ effects: setHelp.of({ pos, text }) });
    },
  );
  return true;
}

/** The extension for a code cell's editor: Shift+Tab shows the kernel's help for the name at the cursor. */
export function kernelInspectTooltip(client: KernelClient): Extension {
  return [
    helpField,
    Prec.high(keymap.of([{ key: 'Shift-Tab', run: (view) => inspectAtCursor(client, view) }])),
    EditorView.domEventHandlers({
      blur: (_event, view) => {
        if (view.state.field(helpField, false)) view.dispatch({ effects: setHelp.of(null) });
      },
    }),
  ];
}
