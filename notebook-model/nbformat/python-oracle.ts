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

const DOWNGRADE_SCRIPT = String.raw`
import json, sys, warnings
warnings.simplefilter("ignore")
import nbformat
import nbformat.v3.nbjson
out = []
for text in json.load(sys.stdin):
    old = nbformat.convert(nbformat.reads(text, 4), 3)
    try:
        nbformat.validate(old, version=3)
        valid = True
    except Exception:
        valid = False
    out.append({"text": nbformat.v3.nbjson.writes(old), "valid": valid})
json.dump(out, sys.stdout)
`;

/** nbformat 3 files made by nbformat's own downgrade of these 4.x files, and whether nbformat finds each valid. */
export function downgradeToV3WithNbformat(texts: string[]): { text: string; valid: boolean }[] {
  const r = spawnSync(PYTHON, ['-c', DOWNGRADE_SCRIPT], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python nbformat downgrade failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { text: string; valid: boolean }[];
}

export interface UpgradeVerdict {
  name: string;
  /** Our 4.5 file passes nbformat.validate. */
  valid: boolean;
  validationError?: string;
  /** nbformat's upgrade of the v3 file, as it saves it, equals ours, with nbformat's minted ids taken from ours. */
  equal: boolean;
  firstDifference?: string;
}

const UPGRADE_SCRIPT = String.raw`
import json, sys, warnings
warnings.simplefilter("ignore")
import nbformat
out = []
for item in json.load(sys.stdin):
    # as nbformat saves it: the write drops session-only keys (trusted, orig_nbformat)
    theirs = nbformat.reads(nbformat.writes(nbformat.reads(item["input"], 4)), 4)
    ours = nbformat.reads(item["ours"], 4)
    v = {"name": item["name"], "valid": True}
    try:
        nbformat.validate(ours)
    except Exception as e:
        v["valid"] = False
        v["validationError"] = str(e)[:500]
    for key in ("orig_nbformat", "orig_nbformat_minor"):
        theirs.metadata.pop(key, None)
    if len(theirs.cells) == len(ours.cells):
        for a, b in zip(theirs.cells, ours.cells):
            a["id"] = b.get("id")
    v["equal"] = theirs == ours
    if not v["equal"]:
        if len(theirs.cells) != len(ours.cells):
            v["firstDifference"] = "%d cells, ours %d" % (len(theirs.cells), len(ours.cells))
        else:
            diffs = [(i, a, b) for i, (a, b) in enumerate(zip(theirs.cells, ours.cells)) if a != b]
            if diffs:
                i, a, b = diffs[0]
                v["firstDifference"] = "cell %d: expected %s, got %s" % (i, json.dumps(a, sort_keys=True)[-900:], json.dumps(b, sort_keys=True)[-900:])
            else:
                v["firstDifference"] = "notebook: expected %s, got %s" % (json.dumps({k: x for k, x in theirs.items() if k != "cells"}, sort_keys=True)[:600], json.dumps({k: x for k, x in ours.items() if k != "cells"}, sort_keys=True)[:600])
    out.append(v)
json.dump(out, sys.stdout)
`;

/** Judge our 4.5 upgrade of each nbformat 3 file against nbformat's reads(v3, 4). */
export function checkUpgradeWithNbformat(items: { name: string; input: string; ours: string }[]): UpgradeVerdict[] {
  const r = spawnSync(PYTHON, ['-c', UPGRADE_SCRIPT], { input: JSON.stringify(items), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python nbformat upgrade check failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as UpgradeVerdict[];
}
