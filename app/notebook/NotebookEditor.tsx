'use client';
// The collaborative notebook editor: opens the notebook's session (Y.Doc +
// y-websocket) once per page load, and lays out the header (title, connection,
// presence, files), the toolbar and the cells. Command-mode keys are handled
// here for the whole notebook; edit-mode keys inside each editor.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type JSX, type ReactNode } from 'react';
import Link from 'next/link';
import { canEdit, canRun, type Role } from '../../auth/roles';
import { metaOf, notebookLanguageOf } from '../../notebook-model';
import { DownloadMenu } from '../files/DownloadMenu';
import { ReplaceWithFile } from '../files/ReplaceWithFile';
import { useKernelUi, type KernelUi } from '../kernel/kernel-ui';
import { KernelBanner, KernelStatusBar } from '../kernel/KernelStatusBar';
import { VariablesButton } from '../kernel/VariablesPanel';
import { isSaveShortcut, QuickSave } from '../versions/quick-save';
import { ThemeSwitch } from '../theme/ThemeSwitch';
import { CellList } from './CellList';
import { RefusalNotice, refusedActionOf } from './refusal-notice';
import { CellViewStore } from './cell-view-store';
import { ContentsPanel } from './ContentsPanel';
import { EditorPreferences } from './editor-preferences';
import { FindBar } from './FindBar';
import { FindHighlight } from './find-highlight';
import { NotebookPanels } from './notebook-panels';
import { PanelButtons } from './PanelButtons';
import { ShortcutSheet } from './ShortcutSheet';
import type { EditorLanguage } from './CodeEditor';
import { ConnectionBadge } from './ConnectionBadge';
import { KeyInterpreter } from './keyboard';
import { CursorRegistry, NotebookCommands, type RunHandler } from './notebook-commands';
import type { NotebookContext } from './notebook-context';
import { NotebookSession, type SessionUser } from './notebook-session';
import { PresenceList } from './PresenceList';
import { useSessionRole } from './session-role';
import { reloadForReplacedDocument } from './reload-guard';
import { refusedEditMessage } from './close-policy';
import { SelectionStore } from './selection-store';
import { Toolbar } from './Toolbar';
import { useYDeep } from './y-hooks';
import { useLatest } from '../hooks/use-latest';
import { useObservableValue } from '../hooks/observable-value';
import { useOwned } from '../hooks/use-owned';
import { FollowButton } from '../workshop/FollowBar';
import { useWorkshop } from '../workshop/use-workshop';
import { WorkshopDock, type WorkshopOnPage } from '../workshop/WorkshopDock';
import { FreshRunNotice } from '../versions/FreshRunNotice';
import { RestoreNotice } from '../versions/RestoreNotice';
import { NotebookTitle } from '../title/NotebookTitle';
import { UpstreamPanel } from '../forks/UpstreamPanel';
import { CommentsPanel } from '../comments/CommentsPanel';
import type { CommentsUi } from '../comments/comment-threads';
import type { Mentionable } from '../../notebook-model/comments';
import { useCommentsUi } from '../comments/use-comments-ui';

export interface NotebookEditorProps {
  notebookId: string;
  title: string;
  epoch: string;
  token: string;
  role: Role;
  collabUrl: string;
  user: SessionUser;
  /** This person's stable id (the kernel prompts only the person who ran a cell for input). */
  userId?: string;
  /** The kernel bridge as the browser reaches it (`http://host:BRIDGE_PORT`); no kernel without it. */
  bridgeUrl?: string;
  /** Replaces running on the kernel (the default when `bridgeUrl` is set). */
  onRun?: RunHandler;
  /** False for an owner without an account (a workshop guest's own copy): no Share page. */
  canShare?: boolean;
  /** Set while a workshop is live on this notebook (see WorkshopDock). */
  workshop?: WorkshopOnPage | null;
  /** A banner under the header (a guest's own copy says how long it is kept). */
  notice?: ReactNode;
  /** True for a fork: its source's later changes are offered cell by cell. */
  isFork?: boolean;
  /** People a comment may mention with @ (the notebook's members). */
  mentionable?: Mentionable[];
}

export function NotebookEditor(props: NotebookEditorProps): JSX.Element {
  const [closedMessage, setClosedMessage] = useState<string | null>(null);
  const latest = useLatest(props);

  // One session per notebook and epoch. Re-renders (a new token in props) never recreate it.
  const { notebookId, epoch, collabUrl } = props;
  const session = useOwned(() => new NotebookSession({
      notebookId, epoch, collabUrl,
      token: latest.current.token,
      user: latest.current.user,
      onReplaced: (refusal) => {
        if (refusal !== undefined) return setClosedMessage(refusedEditMessage(refusal));
        const reloading = reloadForReplacedDocument(notebookId);
        setClosedMessage(reloading
          ? 'This notebook was replaced; loading the new version…'
          : 'This notebook keeps being replaced; reload the page when it has settled.');
      },
      onStopped: (message) => setClosedMessage(message),
    }), [notebookId, epoch, collabUrl, latest]);

  const role = useSessionRole(session, props.role);
  const kernel = useKernelUi(session, {
    bridgeUrl: props.bridgeUrl ?? '',
    notebookId,
    userId: props.userId ?? '',
    canRun: canRun(role),
    // The session renews its token when the old one expires; requests use the newest.
    token: () => (session?.provider.params.token as string | undefined) ?? latest.current.token,
  });
  const readOnly = !canEdit(role);
  const comments = useCommentsUi(session, { userId: props.userId ?? '', name: props.user.name }, role, notebookId, props.mentionable);
  const { onRun: runHandler } = props;
  const onRun: RunHandler = useCallback(
    (ids, then) => (runHandler ? runHandler(ids, then) : void kernel?.actions.run(ids)),
    [runHandler, kernel],
  );
  const follow = useWorkshop(session?.provider.awareness ?? null);
  const header = (
    <header className="notebook-header">
      <Link href="/" className="home-link" title="All notebooks">Cellmate</Link>
      <NotebookTitle notebookId={props.notebookId} title={props.title} session={session} canRename={!readOnly} />
      {session && <ConnectionBadge connection={session.connection} />}
      {kernel && <KernelStatusBar kernel={kernel} />}
      {kernel && <VariablesButton kernel={kernel} />}
      {readOnly && <span className="read-only-badge" data-testid="read-only">{role === 'commenter' ? 'comment only' : 'view only'}</span>}
      <span className="header-spacer" />
      {session && (
        <PresenceList
          awareness={session.provider.awareness}
          myRole={role}
          actions={follow ? (p) => <FollowButton follow={follow} clientId={p.clientId} name={p.name} /> : undefined}
        />
      )}
      {comments && <CommentsPanel ui={comments} onJump={scrollToCellById} />}
      <DownloadMenu notebookId={props.notebookId} />
      {!readOnly && <ReplaceWithFile notebookId={props.notebookId} />}
      <FreshRunNotice notebookId={props.notebookId} />
      {session && props.isFork && <UpstreamPanel notebookId={props.notebookId} doc={session.doc} origin={session.localOrigin} readOnly={readOnly} />}
      <a className="share-link" href={`/notebooks/${encodeURIComponent(props.notebookId)}/versions`} data-testid="versions-link">Versions</a>
      <ThemeSwitch />
      {role === 'owner' && props.canShare !== false && <a className="share-link" href={`/share/${encodeURIComponent(props.notebookId)}`} data-testid="share-link">Share</a>}
    </header>
  );
  // Kept in the sticky top, so a person scrolled far down still sees it.
  const closed = closedMessage && (
    <div className="notebook-banner" role="alert" data-testid="notebook-closed">{closedMessage}</div>
  );
  const banners = (
    <>
      {props.notice}
      <RestoreNotice notebookId={props.notebookId} />
      {kernel && <KernelBanner kernel={kernel} />}
    </>
  );
  return (
    <div className="notebook-page">
      {session
        ? <NotebookBody notebookId={notebookId} session={session} readOnly={readOnly} kernel={kernel} header={header} closed={closed} banners={banners} onRun={onRun} comments={comments} />
        : <><div className="notebook-top">{header}{closed}</div>{banners}<div className="cells-empty">Loading notebook…</div></>}
      {session && follow && !closedMessage && (
        <WorkshopDock
          awareness={session.provider.awareness}
          doc={session.doc}
          follow={follow}
          notebookId={props.notebookId}
          presenter={!readOnly && !props.workshop?.attendee}
          workshop={props.workshop ?? null}
          comments={comments}
        />
      )}
    </div>
  );
}

/**
 * The header and the toolbar share one sticky box, so the toolbar is always
 * directly under the header, whatever their heights; banners scroll away below.
 */
function NotebookBody(props: { notebookId: string; session: NotebookSession; readOnly: boolean; kernel: KernelUi | null; header: ReactNode; closed: ReactNode; banners: ReactNode; onRun: RunHandler; comments: CommentsUi | null }): JSX.Element {
  const { session, readOnly } = props;
  const onRun = useLatest(props.onRun);
  const synced = useSyncExternalStore(
    (f) => { session.provider.on('sync', f); return () => session.provider.off('sync', f); },
    () => session.provider.synced,
    () => false,
  );
  // Once the first sync arrived, a later disconnection does not bring back "Loading…".
  const [everSynced, setEverSynced] = useState(false);
  if (synced && !everSynced) setEverSynced(true);

  const language = useYDeep(metaOf(session.doc), () => notebookLanguageOf(session.doc));
  const codeLanguage: EditorLanguage = language === 'python' || language === 'ipython' || language === 'python3' ? 'python' : 'plain';

  const base = useMemo(() => {
    const selection = new SelectionStore();
    const cursors = new CursorRegistry();
    const view = new CellViewStore(props.notebookId);
    const refusals = new RefusalNotice();
    const preferences = new EditorPreferences();
    const panels = new NotebookPanels();
    const commands = new NotebookCommands(
      session, selection, cursors, (ids, then) => onRun.current(ids, then), readOnly, view,
      (command) => refusals.refuse(refusedActionOf(command)),
      { preferences, panels, onProblem: (message) => refusals.tell(message) },
    );
    return {
      session, selection, cursors, commands, view, refusals, keys: new KeyInterpreter(), readOnly,
      saves: new QuickSave(props.notebookId), preferences, panels, find: new FindHighlight(),
    };
  }, [session, readOnly, props.notebookId, onRun]);
  const context: NotebookContext = useMemo(() => ({ ...base, codeLanguage, kernel: props.kernel, comments: props.comments }), [base, codeLanguage, props.kernel, props.comments]);
  const notebook = useRef<HTMLDivElement>(null);
  const panels = useObservableValue(base.panels, base.panels.value);

  // Command-mode keys. Listening on the document also catches keys typed while
  // nothing has the focus (e.g. after the focused cell was deleted by someone else).
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const target = event.target as HTMLElement;
      const inNotebook = notebook.current?.contains(target) ?? false;
      if (!inNotebook && target !== document.body) return;
      // Keys typed into an editor or a form control are theirs (editors handle edit mode themselves).
      if (target.closest('.cm-editor, input, select, textarea, button, a, iframe, [contenteditable], summary, details')) return;
      const command = base.keys.interpret(base.selection.mode === 'edit' ? 'edit' : 'command', event);
      if (command) {
        event.preventDefault();
        base.commands.run(command);
      } else if (base.keys.waiting) event.preventDefault();
      else if (base.readOnly && inNotebook && typesText(event)) base.refusals.refuse('type');
    };
    // Ctrl+S / Cmd+S anywhere on the page, editors included: a named version, never the browser's dialog.
    const onSave = (event: globalThis.KeyboardEvent) => {
      if (!isSaveShortcut(event)) return;
      event.preventDefault();
      if (base.readOnly) base.refusals.refuse('change');
      else void base.saves.save();
    };
    document.addEventListener('keydown', onKeyDown);
    window.addEventListener('keydown', onSave, true);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keydown', onSave, true);
    };
  }, [base]);

  return (
    <>
      <div className="notebook-top" data-testid="notebook-top">
        {props.header}
        {props.closed}
        {context.readOnly
          ? <div className="toolbar" role="toolbar" aria-label="Notebook panels"><PanelButtons panels={base.panels} /></div>
          : <Toolbar context={context} />}
        {panels.find && <FindBar context={context} />}
        <RefusalBanner notice={base.refusals} />
        <SaveStatus saves={base.saves} />
      </div>
      {props.banners}
      <div className="notebook" data-testid="notebook" data-contents-open={panels.contents || undefined} ref={notebook}>
        <CellList context={context} synced={everSynced} />
      </div>
      {panels.contents && <ContentsPanel context={context} />}
      {panels.shortcuts && <ShortcutSheet panels={base.panels} />}
    </>
  );
}

/** Brings a cell into view (the comments panel's jump). */
function scrollToCellById(cellId: string): void {
  document.querySelector(`[data-testid="cell"][data-cell-id="${CSS.escape(cellId)}"]`)?.scrollIntoView({ block: 'center' });
}

/** A key that would put text into a cell (a character, Enter, Backspace, Delete), without a shortcut modifier. */
function typesText(event: globalThis.KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) return false;
  return event.key.length === 1 || event.key === 'Backspace' || event.key === 'Delete';
}

function RefusalBanner(props: { notice: RefusalNotice }): JSX.Element | null {
  const { notice } = props;
  const message = useObservableValue(notice, null);
  if (!message) return null;
  return (
    <div className="notebook-banner refusal-notice" role="status" data-testid="read-only-notice">
      {message}{' '}
      <button type="button" aria-label="Dismiss" onClick={() => notice.dismiss()}>✕</button>
    </div>
  );
}

function SaveStatus(props: { saves: QuickSave }): JSX.Element | null {
  const { saves } = props;
  const status = useObservableValue(saves, null);
  if (!status) return null;
  return (
    <div className="notebook-banner save-status" role="status" data-testid="save-status" data-state={status.state} data-version-name={status.versionName}>
      {status.message}{' '}
      {status.state !== 'saving' && <button type="button" aria-label="Dismiss" onClick={() => saves.dismiss()}>✕</button>}
    </div>
  );
}
