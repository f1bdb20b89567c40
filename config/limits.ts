// Size and rate limits of the collab server (and its presence throttle), each an
// environment setting with a default. A notebook far bigger than real ones (the 1.7 MB K-Means chapter with
// its images; a 2 MB matplotlib PNG written by the kernel bridge, 2.7 MB once
// base64-encoded) stays far below every default. What is refused, and with which
// close code: collab-server/README.md, "Limits".
import { isWhole, numberSetting, type Env } from './setting';

const MiB = 1024 * 1024;
const KiB = 1024;

export interface CollabLimits {
  /** One websocket message (any type); larger ones are dropped by the websocket layer (close 1009). */
  maxMessageBytes: number;
  /** One document update (sync step 2 or update payload). */
  maxUpdateBytes: number;
  /** One awareness state (the JSON of one client's entry). */
  maxAwarenessStateBytes: number;
  /** A whole document: the stored snapshot plus the updates appended since. */
  maxDocumentBytes: number;
  /** The update log between compactions; past it the log is compacted, and updates wait (1013) while it cannot be. */
  maxUpdateLogBytes: number;
  /** Awareness messages one socket may send per second (a burst of twice that is allowed). */
  maxAwarenessPerSecond: number;
  /** Awareness client ids one socket may speak for (a tab uses one). */
  maxAwarenessIdsPerSocket: number;
}

export const defaultCollabLimits: CollabLimits = {
  maxMessageBytes: 32 * MiB,
  maxUpdateBytes: 16 * MiB,
  maxAwarenessStateBytes: 128 * KiB,
  maxDocumentBytes: 256 * MiB,
  maxUpdateLogBytes: 64 * MiB,
  maxAwarenessPerSecond: 100,
  maxAwarenessIdsPerSocket: 4,
};

const variables: Record<keyof CollabLimits, string> = {
  maxMessageBytes: 'COLLAB_MAX_MESSAGE_BYTES',
  maxUpdateBytes: 'COLLAB_MAX_UPDATE_BYTES',
  maxAwarenessStateBytes: 'COLLAB_MAX_AWARENESS_STATE_BYTES',
  maxDocumentBytes: 'COLLAB_MAX_DOCUMENT_BYTES',
  maxUpdateLogBytes: 'COLLAB_MAX_UPDATE_LOG_BYTES',
  maxAwarenessPerSecond: 'COLLAB_MAX_AWARENESS_PER_SECOND',
  maxAwarenessIdsPerSocket: 'COLLAB_MAX_AWARENESS_IDS_PER_SOCKET',
};

/** The collab server's limits: each `COLLAB_MAX_…` variable that is set, else its default. Throws on a value that is not a positive whole number. */
export function collabLimits(env: Env = process.env): CollabLimits {
  const limits = { ...defaultCollabLimits };
  for (const key of Object.keys(variables) as (keyof CollabLimits)[]) {
    limits[key] = numberSetting(variables[key], limits[key], isWhole(1), 'a positive whole number', env);
  }
  if (limits.maxUpdateBytes > limits.maxMessageBytes) limits.maxUpdateBytes = limits.maxMessageBytes;
  return limits;
}

/** COLLAB_AWARENESS_THROTTLE_MS: fan presence out at most once per this many ms (default 50; see collab-server/README.md). */
export function awarenessThrottleMs(env: Env = process.env): number {
  return numberSetting('COLLAB_AWARENESS_THROTTLE_MS', 50, isWhole(0, 10_000), '0..10000', env);
}
