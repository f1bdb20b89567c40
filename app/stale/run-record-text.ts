// A run record in words, for the line under a code cell:
// "ran 2 min ago · took 1.2 s · by Ana". Pure, so it is tested without a browser.
import { isoToMicros, runDurationMs, runStartOf, type RunRecord } from '../../notebook-model';

/** "just now", "40 s ago", "2 min ago", "3 h ago", "5 days ago". */
export function formatAgo(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  const days = Math.floor(s / 86_400);
  return `${days} ${days === 1 ? 'day' : 'days'} ago`;
}

/** "0.04 s", "1.2 s", "2 min 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 100) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** The record as one line, or null when it says nothing we can show. */
export function runRecordText(record: RunRecord, now: number): string | null {
  const parts: string[] = [];
  const endMicros = isoToMicros(record.idle) ?? isoToMicros(record.executeReply) ?? runStartOf(record);
  if (endMicros !== undefined) parts.push(`ran ${formatAgo(now - endMicros / 1000)}`);
  const took = runDurationMs(record);
  if (took !== undefined) parts.push(`took ${formatDuration(took)}`);
  if (record.runBy?.name) parts.push(`by ${record.runBy.name}`);
  return parts.length ? parts.join(' · ') : null;
}
