// "Save & run all" runs in the kernel bridge (kernel-bridge/fresh-runs.ts), on
// its one quota of kernels and through its kernel provider and sandbox; the
// web app only asks it, with a notebook token minted for the person's access
// (the bridge checks the role again, as for every kernel request). The bridge's
// refusals (409 a run is going, 429/503 at the kernel limits) pass through
// with their message and code.
import { signNotebookToken } from '../../auth/notebook-token';
import { bridgeInternalUrl } from '../../config/env';
import { HttpRefusal } from '../../notebook-model/http-edge';
import { API_ERROR, apiErrorCodeOf, type FreshRunState } from '../../notebook-model/service-protocol';
import type { NotebookAccess } from './notebook-access';

/** How long the app waits for the bridge to answer. */
const BRIDGE_TIMEOUT_MS = 10_000;
/** Largest answer read from the bridge. */
const MAX_ANSWER_BYTES = 256 * 1024;

/** The notebook's current or last run (null when none since the bridge started). */
export async function freshRunOf(access: NotebookAccess): Promise<FreshRunState | null> {
  return (await askBridge(access, 'GET')).run;
}

/** Starts a run named `name`; throws the bridge's refusal (409, 429, 503, …) as an HttpRefusal. */
export async function startFreshRun(access: NotebookAccess, name: string): Promise<FreshRunState> {
  const run = (await askBridge(access, 'POST', { name })).run;
  if (!run) throw new HttpRefusal(502, 'The kernel bridge started a run but did not describe it.', { code: API_ERROR.serviceUnavailable });
  return run;
}

async function askBridge(access: NotebookAccess, method: 'GET' | 'POST', body?: unknown): Promise<{ run: FreshRunState | null }> {
  const token = await signNotebookToken(
    { notebookId: access.notebookId, role: access.role, name: access.name, userId: access.holderId, via: access.via },
    60,
  );
  let res: Response;
  try {
    res = await fetch(`${bridgeInternalUrl()}/notebooks/${encodeURIComponent(access.notebookId)}/fresh-run`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(BRIDGE_TIMEOUT_MS),
    });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    console.error(`Save & run all of ${access.notebookId}: kernel bridge ${timedOut ? 'timed out' : `unreachable (${(err as Error).message})`}`);
    const what = timedOut ? `did not answer within ${BRIDGE_TIMEOUT_MS / 1000} s` : 'cannot be reached';
    throw new HttpRefusal(503, `The kernel bridge, which runs "Save & run all", ${what}; try again shortly, and tell the administrator if it persists.`, { code: API_ERROR.serviceUnavailable });
  }
  const text = await res.text();
  let answer: unknown;
  try {
    if (text.length > MAX_ANSWER_BYTES) throw new Error('too large');
    answer = JSON.parse(text);
  } catch {
    throw new HttpRefusal(502, `The kernel bridge answered ${res.status} with something that is not JSON.`, { code: API_ERROR.serviceUnavailable });
  }
  const fields = (answer && typeof answer === 'object' ? answer : {}) as Record<string, unknown>;
  if (!res.ok) {
    const { error, code, ...details } = fields;
    throw new HttpRefusal(res.status, typeof error === 'string' ? error : `The kernel bridge refused (${res.status}).`, {
      code: apiErrorCodeOf({ code }) ?? API_ERROR.serviceUnavailable, details,
    });
  }
  const run = fields.run;
  if (run !== null && !isRunState(run)) throw new HttpRefusal(502, 'The kernel bridge answered with a run state it should not have.', { code: API_ERROR.serviceUnavailable });
  return { run };
}

function isRunState(value: unknown): value is FreshRunState {
  const v = value as Partial<FreshRunState> | null;
  return !!v && typeof v === 'object' && (v.state === 'running' || v.state === 'done' || v.state === 'failed')
    && typeof v.name === 'string' && typeof v.startedBy === 'string' && typeof v.startedAt === 'string';
}
