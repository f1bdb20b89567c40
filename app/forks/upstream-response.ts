// What GET /api/notebooks/:id/upstream answers: the source of a fork as it stands.
import type { UpstreamCell } from '../../notebook-model';

export interface UpstreamResponse {
  source: { id: string; title: string };
  cells: UpstreamCell[];
}
