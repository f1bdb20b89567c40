// People in a notebook without a browser: y-websocket clients holding a notebook
// token of their own and publishing presence, as a browser tab does. Used where a
// test needs dozens of people and dozens of browsers would not fit the machine.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import NodeWebSocket from 'ws';
import { signNotebookToken } from '../auth/notebook-token';
import { collabPort } from './helpers';
import { e2eDataDir } from './notebook-page';

export interface CrowdMember {
  provider: WebsocketProvider;
  destroy: () => void;
}

/** One person joins notebook `id` as `name` with `role`, their cursor in cell `cellId`. */
export async function joinAsClient(id: string, name: string, role: 'editor' | 'viewer', index: number, cellId = 'c0'): Promise<CrowdMember> {
  process.env.CELLMATE_DATA_DIR ??= e2eDataDir();
  const token = await signNotebookToken({ notebookId: id, role, name, userId: `crowd-${index}-${Date.now()}` });
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://localhost:${collabPort}`, id, doc, {
    params: { token }, disableBc: true, WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
  });
  provider.awareness.setLocalStateField('user', { name, color: `hsl(${(index * 37) % 360} 60% 45%)` });
  provider.awareness.setLocalStateField('cellId', cellId);
  return { provider, destroy: () => { provider.destroy(); doc.destroy(); } };
}
