'use client';
// The header's connection state: connected / connecting… / reconnecting… /
// offline · N unsynced changes / closed.
import { useSyncExternalStore, type JSX } from 'react';
import { describeConnection, type ConnectionState } from './connection-state';

export function ConnectionBadge(props: { connection: ConnectionState }): JSX.Element {
  const { connection } = props;
  const state = useSyncExternalStore(connection.subscribe, () => connection.current, () => connection.current);
  return (
    <span className="connection-state" data-testid="connection-state" data-state={state.status} data-unsynced={state.unsynced} role="status">
      <span className="connection-dot" aria-hidden />
      {describeConnection(state)}
    </span>
  );
}
