// The kernel's user variables, described without disturbing the kernel: one
// silent execute_request (`silent: true, store_history: false`, empty code) whose
// `user_expressions` runs a small inspection snippet. A silent request neither
// counts (the execution count stays) nor enters the history, and publishes no
// execute_input, so no cell and no collaborator sees it run.
//
// The snippet describes, it never transfers: numpy arrays by `nbytes`, shape
// and dtype, pandas objects by `memory_usage(deep=True)` (for a DataFrame the
// same sum taken from its blocks, ~100 times faster) and shape, anything else by
// `sys.getsizeof`, `len` and a short `reprlib` repr (bytes sliced before repr, so
// a 100 MB buffer costs nothing). Every variable is sized, to sort by size; only
// the largest MAX_DESCRIBED_VARIABLES are described and sent. Python kernels only (IPython's user
// namespace); other kernels get `unavailable`.
//
// What comes back is a peer's answer like any other: bounded, then validated
// with the awareness schema (notebook-model/service-protocol.ts) before anyone sees it.
import { z } from 'zod';
import {
  kernelVariableSchema, MAX_DESCRIBED_VARIABLES, MAX_VARIABLES_JSON_BYTES, type KernelVariable,
} from '../notebook-model/service-protocol';
import type { ExecutionHandle } from './execution-handle';
import type { ExecuteOptions } from './kernel-execution';

/** The Python run inside `exec`, in a namespace of its own (nothing is left in the user's). */
const SNIPPET = String.raw`
import sys, json, time, types, reprlib
_t0 = time.perf_counter()
_ip = get_ipython()
_hidden = getattr(_ip, 'user_ns_hidden', {})
_skip = (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType, type)
try:
    from pandas._libs.lib import memory_usage_of_objects as _objects_bytes
    import numpy as _np
except Exception:
    _objects_bytes = None

def _frame_bytes(frame):
    # DataFrame.memory_usage(deep=True).sum() without building a Series per column (~2 ms a frame);
    # the same sum from the frame's blocks when they are plain numpy arrays.
    if _objects_bytes is not None:
        try:
            total = int(frame.index.memory_usage(deep=True))
            for block in frame._mgr.blocks:
                values = block.values
                if not isinstance(values, _np.ndarray):
                    raise TypeError
                total += int(values.nbytes)
                if values.dtype == object:
                    total += int(_objects_bytes(values.ravel()))
            return total
        except Exception:
            pass
    return int(frame.memory_usage(deep=True).sum())

_found = []
for _name, _value in list(_ip.user_ns.items()):
    if _name.startswith('_') or (_name in _hidden and _hidden[_name] is _value) or isinstance(_value, _skip):
        continue
    _cls = type(_value)
    _mod = getattr(_cls, '__module__', '') or ''
    _kind = 'numpy' if _mod.startswith('numpy') and hasattr(_value, 'nbytes') and hasattr(_value, 'shape') else 'pandas' if _mod.startswith('pandas') and hasattr(_value, 'memory_usage') and hasattr(_value, 'shape') else 'other'
    try:
        if _kind == 'numpy':
            _size = int(_value.nbytes)
        elif _kind == 'pandas':
            _size = _frame_bytes(_value) if _cls.__name__ == 'DataFrame' else int(_value.memory_usage(deep=True))
        else:
            _size = int(sys.getsizeof(_value))
    except Exception:
        _size = None
    _found.append((_size if _size is not None else -1, _name, _value, _cls, _mod, _kind))
_found.sort(key=lambda f: -f[0])

_r = reprlib.Repr()
_r.maxstring = 60; _r.maxother = 60; _r.maxlist = 6; _r.maxtuple = 6; _r.maxset = 6; _r.maxdict = 4; _r.maxlevel = 2
_rows = []
for _size, _name, _value, _cls, _mod, _kind in _found[:LIMIT]:
    _row = {'name': _name[:100], 'type': (_cls.__name__ if _mod == 'builtins' else _mod.split('.')[0] + '.' + _cls.__name__)[:100],
            'size': _size if _size >= 0 else None, 'shape': None, 'length': None, 'repr': ''}
    try:
        if _kind != 'other':
            _row['shape'] = [int(d) for d in _value.shape][:8]
            _cols = getattr(_value, 'columns', None)
            _row['repr'] = ('columns: ' + ', '.join(str(c) for c in list(_cols[:8]))) if _cols is not None else 'dtype ' + str(getattr(_value, 'dtype', ''))
        else:
            if hasattr(_cls, '__len__'):
                _row['length'] = int(len(_value))
            _row['repr'] = repr(_value[:40]) if isinstance(_value, (bytes, bytearray)) else _r.repr(_value)
    except Exception:
        pass
    _row['repr'] = (_row['repr'] or '<' + _cls.__name__ + '>')[:120]
    _rows.append(_row)
class _Answer:
    def __init__(self, text): self.text = text
    def __repr__(self): return self.text
result = _Answer(json.dumps({'total': len(_found), 'list': _rows, 'kernelMs': (time.perf_counter() - _t0) * 1000}))
`;

/** The user expression: runs the snippet and answers with its JSON (as the text/plain of an object whose repr is that JSON). */
const EXPRESSION = `(lambda g: (exec(${JSON.stringify(SNIPPET)}, g), g['result'])[1])({'get_ipython': get_ipython, 'LIMIT': ${MAX_DESCRIBED_VARIABLES}})`;

/** The largest answer read; anything longer is refused unread. */
const MAX_ANSWER_CHARS = 512 * 1024;
/** How long a refresh may take before it is given up (a huge frame of Python objects is slow to measure). */
export const VARIABLES_TIMEOUT_MS = 10_000;

export interface VariablesReport {
  /** How many user variables the kernel holds. */
  total: number;
  /** Largest first, at most MAX_DESCRIBED_VARIABLES, and within MAX_VARIABLES_JSON_BYTES. */
  list: KernelVariable[];
  /** What the snippet took inside the kernel, in ms. */
  kernelMs: number;
}

/** Why a refresh gave nothing: the message is for users. */
export class VariablesUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VariablesUnavailable';
  }
}

const answerSchema = z.object({
  total: z.number().int().nonnegative(),
  list: z.array(kernelVariableSchema).max(MAX_DESCRIBED_VARIABLES),
  kernelMs: z.number().nonnegative(),
});

/** What runs the silent request: the kernel client's `execute`. */
export type SilentExecute = (code: string, options: ExecuteOptions) => ExecutionHandle;

/** Asks a Python kernel for its variables. Throws VariablesUnavailable. */
export async function readVariables(execute: SilentExecute, timeoutMs = VARIABLES_TIMEOUT_MS): Promise<VariablesReport> {
  const handle = execute('', { silent: true, storeHistory: false, allowStdin: false, userExpressions: { variables: EXPRESSION } });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  const outcome = await Promise.race([handle.done, timeout]).finally(() => clearTimeout(timer));
  if (outcome === 'timeout') throw new VariablesUnavailable(`the kernel did not describe its variables within ${timeoutMs / 1000} s`);
  if (outcome.status !== 'completed') throw new VariablesUnavailable(`the kernel stopped: ${outcome.reason}`);
  return parseVariablesAnswer(outcome.reply.user_expressions?.variables);
}

/** The `user_expressions.variables` entry of the reply, validated and bounded. Throws VariablesUnavailable. */
export function parseVariablesAnswer(entry: unknown): VariablesReport {
  const e = entry as { status?: unknown; data?: Record<string, unknown>; ename?: unknown; evalue?: unknown } | undefined;
  if (!e || typeof e !== 'object') throw new VariablesUnavailable('the kernel gave no answer about its variables');
  if (e.status !== 'ok') {
    const what = typeof e.ename === 'string' ? `${e.ename}: ${String(e.evalue ?? '')}`.slice(0, 200) : 'an error';
    throw new VariablesUnavailable(`describing the variables failed in the kernel (${what})`);
  }
  const text = e.data?.['text/plain'];
  if (typeof text !== 'string') throw new VariablesUnavailable('the kernel\'s answer about its variables is not text');
  if (text.length > MAX_ANSWER_CHARS) throw new VariablesUnavailable('the kernel\'s answer about its variables is too large');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new VariablesUnavailable('the kernel\'s answer about its variables is not JSON');
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) throw new VariablesUnavailable('the kernel\'s answer about its variables is malformed');
  return { ...parsed.data, list: withinBudget(parsed.data.list) };
}

/** Drops the smallest entries until the list's JSON fits MAX_VARIABLES_JSON_BYTES. */
function withinBudget(list: KernelVariable[]): KernelVariable[] {
  let used = 2;
  const kept: KernelVariable[] = [];
  for (const v of list) {
    used += Buffer.byteLength(JSON.stringify(v)) + 1;
    if (used > MAX_VARIABLES_JSON_BYTES) break;
    kept.push(v);
  }
  return kept;
}
