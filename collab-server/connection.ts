// One client socket in a room: who it is (from its token), what it may do,
// which awareness client ids it speaks for (so its presence can be removed when
// the socket goes away), and how much awareness it sent lately.
import { WebSocket } from 'ws';
import type { NotebookGrant } from '../auth/notebook-token';
import { canComment, canEdit, canModerateComments, type Role } from '../auth/roles';
import type { UpdateSender } from './schema-gate';
import { encodeAccessChanged } from './protocol';

export class Connection {
  /** Awareness client ids this socket has published states for. */
  readonly awarenessIds = new Set<number>();
  /** Set when a ping went unanswered; cleared by the pong. */
  awaitingPong = false;

  /** What this socket may do now: the token's role, or the one access review last found. */
  role: Role;

  constructor(
    readonly socket: WebSocket,
    readonly grant: NotebookGrant,
    /** The document epoch the client holds, when it said (`?epoch=`). */
    readonly epoch: string | null,
    /** The role the database gave when the socket was admitted (defaults to the token's). */
    role: Role = grant.role,
    /** True for the kernel bridge's own socket (it showed a kernel-presence service token). */
    readonly isKernelBridge = false,
  ) {
    this.role = role;
  }

  private awarenessTokens = -1;
  private awarenessRefilledAt = 0;

  /**
   * Counts one awareness message against a budget of `perSecond` (a token
   * bucket holding up to two seconds' worth); false once the socket is over it.
   */
  takeAwarenessToken(perSecond: number, now = performance.now()): boolean {
    const capacity = 2 * perSecond;
    if (this.awarenessTokens < 0) this.awarenessTokens = capacity;
    else this.awarenessTokens = Math.min(capacity, this.awarenessTokens + ((now - this.awarenessRefilledAt) / 1000) * perSecond);
    this.awarenessRefilledAt = now;
    if (this.awarenessTokens < 1) return false;
    this.awarenessTokens -= 1;
    return true;
  }

  /** May not change the document at all (a viewer); a commenter may change its comment threads. */
  get readOnly(): boolean {
    return !canComment(this.role);
  }

  /** Who this socket's updates come from, for the schema gate: the token's person, the role held now. */
  get sender(): UpdateSender {
    return {
      userId: this.grant.userId,
      name: this.grant.name,
      mayEdit: canEdit(this.role),
      mayComment: canComment(this.role),
      mayModerate: canModerateComments(this.role),
    };
  }

  /** Changes what the socket may do, in place, and tells the client. */
  changeRole(role: Role): void {
    if (role === this.role) return;
    this.role = role;
    this.send(encodeAccessChanged(role));
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(message: Uint8Array): void {
    if (this.open) this.socket.send(message);
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  toString(): string {
    return `${this.grant.name} (${this.role})`;
  }
}
