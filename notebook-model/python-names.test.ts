// The names a cell defines and uses, checked against Python itself: every code
// cell of the data-science chapters of the corpus (the Python Data Science
// Handbook notebooks) and a set of snippets for each construct are analysed by
// python-names.ts (lezer's grammar) and by python-names-oracle.py (Debian's
// python3: `ast`, `symtable`, and IPython's own magic transformer), and the sets
// must be equal.
//
// Deliberate differences, excluded from the comparison and asserted here so they stay known:
// - A cell that lezer cannot fully parse is reported `complete: false`; the
//   comparison then only requires Python to agree it is not plain Python, or
//   the sets to match anyway. (No corpus cell needs this today: asserted.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readNotebookFiles } from './nbformat/test-corpus';
import { parseNotebook } from './nbformat';
import { PYTHON } from './nbformat/python-oracle';
import { cellNames, type CellNames } from './python-names';

interface OracleNames {
  defines: string[];
  uses: string[];
  mutates: string[];
  starImport: boolean;
  error?: string;
}

function oracle(sources: string[]): OracleNames[] {
  const r = spawnSync(PYTHON, [join(import.meta.dirname, 'python-names-oracle.py')], {
    input: JSON.stringify(sources), encoding: 'utf8', maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`the Python oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as OracleNames[];
}

const comparable = (n: CellNames | OracleNames) => ({ defines: n.defines, uses: n.uses, mutates: n.mutates, starImport: n.starImport });

function compare(label: string, sources: string[]) {
  const theirs = oracle(sources);
  const differences: string[] = [];
  sources.forEach((source, i) => {
    const ours = cellNames(source);
    if (theirs[i].error) {
      // Python cannot parse it either (the corpus shows errors on purpose): nothing to compare.
      assert.equal(ours.complete, false, `${label} #${i}: Python says ${theirs[i].error}, lezer parsed it cleanly:\n${source}`);
      return;
    }
    try {
      assert.deepEqual(comparable(ours), comparable(theirs[i]));
    } catch {
      differences.push(`${label} #${i}:\n${source}\nours:   ${JSON.stringify(comparable(ours))}\npython: ${JSON.stringify(comparable(theirs[i]))}`);
    }
  });
  assert.deepEqual(differences, [], differences.join('\n\n'));
  return theirs;
}

const dataScience = readNotebookFiles('corpus').filter((f) => f.name.startsWith('pdsh-'));

let checkedCells = 0;

test('the corpus has the data-science chapters to check', () => {
  assert.ok(dataScience.length >= 10, `found ${dataScience.length}`);
});

for (const file of dataScience) {
  test(`defined and used names of every code cell of ${file.name} match Python's ast/symtable`, () => {
    const sources = parseNotebook(file.text).cells.filter((c) => c.cell_type === 'code').map((c) => String(c.source));
    checkedCells += sources.length;
    const theirs = compare(file.name, sources);
    const errors = theirs.filter((t) => t.error).length;
    // Only the errors chapter holds code Python refuses, and only a little of it.
    assert.ok(errors <= (file.name.includes('Errors') ? 3 : 0), `${errors} cells Python cannot parse`);
  });
}

test('hundreds of corpus cells were compared', () => {
  assert.ok(checkedCells > 200, `${checkedCells} cells`);
  console.log(`compared ${checkedCells} code cells of ${dataScience.length} chapters with Python`);
});

const constructs: Record<string, string> = {
  imports: 'import a.b\nimport c.d as e, f\nfrom .g import (h as i, j)\nfrom k import *\nprint(a, e, i, j)',
  del: 'del x\ny = 1\ndel y, z[0], w.attr',
  augmented: 'n += 1\nm = 0\nm += n\nobj.count += 1\nd[k] -= 1',
  'function defs': '@register(app)\ndef f(a, b=default, *args, c: Ann = 2, **kw) -> Ret:\n    import os\n    total = a + offset + f(a)\n    return total, os\n\nasync def g():\n    await f(1)\n    return later\nlater = 1',
  'class defs': 'class C(Base, metaclass=Meta):\n    attr = value\n    other = attr + 1\n    def method(self):\n        return attr, helper(self)\n\nhelper = C',
  closures: 'def outer():\n    x = 1\n    def inner():\n        nonlocal x\n        x += 1\n        return x + y\n    return inner\ny = 2',
  global: 'def setup():\n    global config, counter\n    config = load()\n    return counter\n\nsetup()\nprint(config)',
  comprehensions: 'squares = [i * i for i in data if i > limit]\nlookup = {k: v for k, v in pairs.items() if k not in skip}\ntotal = sum(x for row in grid for x in row)\nflat = {y for y in (z for z in other)}',
  lambda: 'key = lambda item, scale=factor: item[col] * scale\nitems.sort(key=lambda r: r.size)',
  walrus: 'if (n := len(data)) > 10:\n    print(n)\nhits = [m for line in lines if (m := pattern.match(line))]\nprint(m)',
  match: 'match command.split():\n    case [action]:\n        run(action)\n    case ["go", direction] | ["move", direction]:\n        go(direction)\n    case Point(x=0, y=yy) if yy > bound:\n        pass\n    case {"k": vv, **rest}:\n        use(vv, rest)\n    case Color.RED:\n        pass\n    case _:\n        fallback()',
  'for with try': 'for i, (a, b) in enumerate(pairs):\n    total = a + b\n    print(total)\nwith open(path) as fh, lock:\n    text = fh.read()\ntry:\n    value = parse(text)\nexcept (ValueError, KeyError) as err:\n    print(err)\nelse:\n    pass\nfinally:\n    done = True',
  'annotations and attributes': 'x: int\ny: List[int] = []\nself_obj.attr: int = 3\nprint(x)',
  'magics and shell lines': '%matplotlib inline\nfiles = !ls $folder\n!pip install thing\nresult = %timeit -o f(x)\nobj?\n??other\nfor f in files:\n    !echo {f}\n    print(f)',
  'percent in continued lines': 'msg = ("%d items"\n       % count)\nprint(msg,\n%s)'.replace('%s', 'extra'),
  'time cell magic': '%%time\nbig = compute(data)\nprint(big)',
  'f-strings and keywords': 'print(f"{value!r:>{width}} {obj.attr}", sep=sep, end="")\ndict(a=1, **extra)',
  'star targets and slices': 'first, *rest = seq\narr[1:stop, ::step] = 0\nprint(first, rest)',
  'decorated class': '@dataclass(frozen=flag)\nclass P:\n    x: int = 0\n    y: int = x\n\n@mod.wrap\ndef h(): pass',
};

test('each construct (imports, del, augmented assignment, defs, classes, scopes, walrus, match, magics) matches Python', () => {
  compare('construct', Object.values(constructs));
});

test('the sets say what a reader expects for the common cases', () => {
  assert.deepEqual(cellNames(constructs.imports), { defines: ['a', 'e', 'f', 'i', 'j'], uses: ['print'], mutates: [], starImport: true, complete: true });
  assert.deepEqual(cellNames(constructs.augmented).uses, ['d', 'k', 'n', 'obj']);
  assert.deepEqual(cellNames(constructs.augmented).mutates, ['d', 'obj']);
  assert.deepEqual(cellNames(constructs['function defs']).uses, ['Ann', 'Ret', 'default', 'later', 'offset', 'register', 'app'].sort());
  assert.deepEqual(cellNames(constructs.global).defines, ['config', 'setup']);
  assert.ok(cellNames(constructs.global).uses.includes('config'), 'a name only a function defines is still read from elsewhere');
  assert.deepEqual(cellNames(constructs.comprehensions).uses, ['data', 'grid', 'limit', 'other', 'pairs', 'skip', 'sum']);
  assert.deepEqual(cellNames('df = load()\ndf["c"] = df.a * 2').mutates, ['df']);
  assert.deepEqual(cellNames('%%bash\necho $x'), { defines: [], uses: [], mutates: [], starImport: false, complete: false });
});

test('an unparsable cell is reported incomplete, with what could be read', () => {
  const names = cellNames('x = (1,\ny = 2');
  assert.equal(names.complete, false);
});
