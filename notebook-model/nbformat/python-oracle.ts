// Test-only bridge to Debian's Python nbformat (the reference implementation):
// one Python process checks a whole batch of notebooks, since starting Python
// and importing nbformat costs far more than checking one file.
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

export interface OracleVerdict {
  name: string;
  /** Our output passes nbformat.validate. */
  valid: boolean;
  validationError?: string;
  /** nbformat.reads(input) equals nbformat.reads(ours), ignoring ids minted for cells that had none. */
  equal: boolean;
  /** Our output equals nbformat.writes(nbformat.reads(input)) + "\n" byte for byte. */
  identical: boolean;
  firstDifference?: string;
}

const SCRIPT = String.raw`
import json, sys, warnings
warnings.simplefilter("ignore")
import nbformat
out = []
for item in json.load(sys.stdin):
    raw = json.loads(item["input"])
    ours = json.loads(item["ours"])
    a = nbformat.reads(item["input"], 4)
    for i, cell in enumerate(a.cells):
        if "id" not in raw["cells"][i]:
            cell["id"] = ours["cells"][i]["id"]
    a.nbformat_minor = max(a.nbformat_minor, 5)
    a.metadata.pop("orig_nbformat_minor", None)
    v = {"name": item["name"], "valid": True}
    b = nbformat.reads(item["ours"], 4)
    try:
        nbformat.validate(b)
    except Exception as e:
        v["valid"] = False
        v["validationError"] = str(e)[:500]
    v["equal"] = a == b
    expected = nbformat.writes(a) + "\n"
    v["identical"] = expected == item["ours"]
    if not v["identical"]:
        n = next((i for i, (x, y) in enumerate(zip(expected, item["ours"])) if x != y), min(len(expected), len(item["ours"])))
        v["firstDifference"] = "at %d: expected %r, got %r" % (n, expected[max(0, n-80):n+80], item["ours"][max(0, n-80):n+80])
    out.append(v)
json.dump(out, sys.stdout)
`;

/** Check our serialized output of each input file against Python's nbformat. */
export function checkWithNbformat(items: { name: string; input: string; ours: string }[]): OracleVerdict[] {
  const r = spawnSync(PYTHON, ['-c', SCRIPT], { input: JSON.stringify(items), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python nbformat check failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as OracleVerdict[];
}
