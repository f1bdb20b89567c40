'use client';
// A CodeMirror 6 editor bound to one cell's source Y.Text through
// y-codemirror.next: typing goes into the shared text, collaborators' cursors
// show with their names, and undo is the notebook's one shared-but-personal
// undo manager. The notebook keys (Escape, Shift+Enter, …) are read here first,
// before CodeMirror's own keymap, and handed to the notebook's commands, except
// Escape while the completion list is open, which closes only the list.
// Ctrl+F is CodeMirror's own search within the cell; line numbers follow this
// person's preference; the notebook's find bar marks its matches here.
import { useEffect, useRef, type JSX } from 'react';
import type * as Y from 'yjs';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import { Compartment, EditorState, Prec, type Extension } from '@codemirror/state';
import { EditorView, drawSelection, keymap, highlightSpecialChars, lineNumbers, placeholder as placeholderText } from '@codemirror/view';
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { closeBrackets, closeBracketsKeymap, completionStatus } from '@codemirror/autocomplete';
import { search, searchKeymap } from '@codemirror/search';
import { python } from '@codemirror/lang-python';
import { markdown } from '@codemirror/lang-markdown';
import type { EditorPreferences } from './editor-preferences';
import { findHighlightExtension, type FindHighlight } from './find-highlight';
import type { KeyInterpreter } from './keyboard';
import { useLatest } from '../hooks/use-latest';
import type { NotebookCommands, CursorRegistry } from './notebook-commands';
import type { NotebookSession } from './notebook-session';
import type { SelectionStore } from './selection-store';

export type EditorLanguage = 'python' | 'markdown' | 'plain';

export interface CodeEditorProps {
  cellId: string;
  text: Y.Text;
  language: EditorLanguage;
  session: NotebookSession;
  selection: SelectionStore;
  commands: NotebookCommands;
  keys: KeyInterpreter;
  cursors: CursorRegistry;
  /** Focus the editor once it exists (the cell is in edit mode). */
  focused: boolean;
  /** A viewer's editor: the cursor moves and text can be copied, nothing changes. */
  readOnly: boolean;
  placeholder?: string;
  /** Extra behaviour for this cell's editor (the kernel's completion and help); may arrive later. */
  extensions?: Extension;
  /** This person's line-number choice. */
  preferences: EditorPreferences;
  /** What the notebook's find bar looks for. */
  find: FindHighlight;
}

function languageExtension(language: EditorLanguage): Extension {
  if (language === 'python') return python();
  if (language === 'markdown') return [markdown(), EditorView.lineWrapping];
  return EditorView.lineWrapping;
}

export function CodeEditor(props: CodeEditorProps): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The editor is built once per Y.Text; later prop values are read through this ref.
  const latest = useLatest(props);
  const extra = useRef(new Compartment());
  // The role can change while the editor lives (an owner promotes or demotes this person).
  const readOnlyConfig = useRef(new Compartment());
  const gutter = useRef(new Compartment());

  const { text, language, cellId } = props;
  useEffect(() => {
    const { session } = latest.current;
    const notebookKeys = Prec.highest(EditorView.domEventHandlers({
      keydown(event, editor) {
        // Keys typed into the editor's own panels (the search field) are theirs.
        if (event.defaultPrevented || !editor.contentDOM.contains(event.target as Node)) return false;
        const { keys, commands } = latest.current;
        const command = keys.interpret('edit', event);
        if (!command) return false;
        // Escape with the completion list open is the list's (it closes); edit mode stays.
        if (command === 'enterCommand' && completionStatus(editor.state) !== null) return false;
        event.preventDefault();
        commands.run(command);
        return true;
      },
    }));
    const focusTracking = EditorView.updateListener.of((update) => {
      if (!update.focusChanged) return;
      const { selection } = latest.current;
      if (update.view.hasFocus) selection.select(cellId, 'edit');
      else if (selection.selected === cellId && selection.mode === 'edit' && !document.hasFocus()) {
        // Window switched away: keep edit mode so the cursor is where it was on return.
      } else if (selection.selected === cellId && selection.mode === 'edit') {
        selection.setMode('command');
      }
    });
    const state = EditorState.create({
      doc: text.toString(),
      extensions: [
        notebookKeys,
        focusTracking,
        yCollab(text, session.provider.awareness, { undoManager: session.undoManager }),
        keymap.of([...yUndoManagerKeymap, ...closeBracketsKeymap, ...searchKeymap, ...defaultKeymap, indentWithTab]),
        search({ top: true }),
        gutter.current.of(latest.current.preferences.value.lineNumbers ? lineNumbers() : []),
        findHighlightExtension(cellId, latest.current.find),
        highlightSpecialChars(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        languageExtension(language),
        readOnlyConfig.current.of(readOnlyExtension(latest.current.readOnly)),
        EditorView.editorAttributes.of({ 'data-testid': 'cell-editor' }),
        EditorView.contentAttributes.of({ 'aria-label': `Cell ${cellId} source` }),
        latest.current.placeholder ? placeholderText(latest.current.placeholder) : [],
        extra.current.of(latest.current.extensions ?? []),
      ],
    });
    const editor = new EditorView({ state, parent: host.current! });
    view.current = editor;
    const unregister = latest.current.cursors.register(cellId, () => editor.state.selection.main.head);
    const { preferences } = latest.current;
    let shown = preferences.value.lineNumbers;
    const unsubscribe = preferences.subscribe(() => {
      if (preferences.value.lineNumbers === shown) return;
      shown = preferences.value.lineNumbers;
      editor.dispatch({ effects: gutter.current.reconfigure(shown ? lineNumbers() : []) });
    });
    if (latest.current.focused) editor.focus();
    return () => {
      unsubscribe();
      unregister();
      editor.destroy();
      view.current = null;
    };
  }, [text, language, cellId, latest]);

  useEffect(() => {
    view.current?.dispatch({ effects: extra.current.reconfigure(props.extensions ?? []) });
  }, [props.extensions]);

  useEffect(() => {
    view.current?.dispatch({ effects: readOnlyConfig.current.reconfigure(readOnlyExtension(props.readOnly)) });
  }, [props.readOnly]);

  // Edit mode chosen from outside the editor (Enter in command mode, a new cell, split).
  useEffect(() => {
    if (props.focused && view.current && !view.current.hasFocus) view.current.focus();
  }, [props.focused]);

  return <div className="cell-editor-host" ref={host} />;
}

/** A viewer's editor: no changes, and no caret that invites typing (text can still be selected and copied). */
function readOnlyExtension(readOnly: boolean) {
  return [EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)];
}
