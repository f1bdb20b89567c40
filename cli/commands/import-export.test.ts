// `nb import` and `nb export` as a user runs them: the real launcher, a real
// SQLite database in a temporary data folder.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nbIn } from '../test-launcher';
import { parseNotebook } from '../../notebook-model/nbformat';
import { notebooksDir } from '../../notebook-model/nbformat/test-corpus';

const dataDir = mkdtempSync(join(tmpdir(), 'cellmate-cli-files-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const nb = nbIn(dataDir);

/** Parsed notebook with the ids of cells that had none in `original` (minted on import) removed. */
function withoutMintedIds(text: string, original: string) {
  const had = (JSON.parse(original).cells as { id?: string }[]).map((c) => c.id !== undefined);
  const nb = parseNotebook(text);
  return { ...nb, cells: nb.cells.map((c, i) => (had[i] ? c : { ...c, id: undefined })) };
}

const corpusFile = (name: string) => join(notebooksDir, 'corpus', name);
const invalidFile = (name: string) => join(notebooksDir, 'invalid', name);

test('nb import prints an id and URL per file; nb export gives the notebook back', async () => {
  const files = ['pdsh-03.09-Pivot-Tables.ipynb', 'nbformat-test4.5.ipynb'].map(corpusFile);
  const imported = await nb('import', ...files);
  assert.equal(imported.code, 0, imported.stderr);
  const lines = imported.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  const ids = lines.map((line) => {
    const [id, url] = line.split('\t');
    assert.equal(url, `http://localhost:3999/notebooks/${id}`);
    return id;
  });

  const listed = await nb('list');
  assert.match(listed.stdout, /\tpdsh-03\.09-Pivot-Tables\n/);

  const out = join(dataDir, 'out.ipynb');
  const input = readFileSync(files[0], 'utf8');
  const exported = await nb('export', ids[0], '-o', out);
  assert.equal(exported.code, 0, exported.stderr);
  assert.deepEqual(withoutMintedIds(readFileSync(out, 'utf8'), input), withoutMintedIds(input, input));

  const toStdout = await nb('export', ids[1], '--format', 'py');
  assert.equal(toStdout.code, 0, toStdout.stderr);
  assert.match(toStdout.stdout, /^# %%/m);
});

test('nb import reports a refused file on stderr, imports the others, and exits 1', async () => {
  const script = join(dataDir, 'analysis.py');
  writeFileSync(script, '# %%\nx = 1\n\n# %% [markdown]\n# Result\n');
  const r = await nb('import', invalidFile('nbformat-invalid_unique_cell_id.ipynb'), script, join(dataDir, 'missing.ipynb'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nb: .*nbformat-invalid_unique_cell_id\.ipynb: This file is not a valid Jupyter notebook:\n\s+- cell ids must be unique/);
  assert.match(r.stderr, /nb: .*missing\.ipynb: no such file/);
  assert.equal(r.stdout.trim().split('\n').length, 1, 'the valid script still imports');
  const [id] = r.stdout.split('\t');
  const back = await nb('export', id, '--format', 'py');
  assert.match(back.stdout, /# %%\nx = 1\n\n# %% \[markdown\]\n# Result\n/);
});

test('nb export refuses an unknown format and an unknown notebook', async () => {
  const badFormat = await nb('export', 'x', '--format', 'pdf');
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /--format must be one of ipynb, stripped, py, html/);
  const unknown = await nb('export', 'no-such-id');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no notebook with id "no-such-id"/);
});

test('nb import and nb create make the notebook the account\'s: the only one, or the one named with --owner', async () => {
  const { openStorage } = await import('../../storage');
  const storage = await openStorage({ databaseUrl: `file:${join(dataDir, 'cellmate.db')}`, migrate: false });
  try {
    const prisma = storage.prismaClient as { user: { create(args: unknown): Promise<{ id: string }> } };
    const ada = await prisma.user.create({ data: { id: 'u-ada', name: 'Ada', email: 'ada@example.test' } });

    const single = await nb('import', corpusFile('nbformat-test4.5.ipynb'));
    assert.equal(single.code, 0, single.stderr);
    const singleId = single.stdout.split('\t')[0];
    assert.equal(await storage.members.roleOf(singleId, ada.id), 'owner');

    const bob = await prisma.user.create({ data: { id: 'u-bob', name: 'Bob', email: 'bob@example.test' } });
    const ambiguous = await nb('create', '--title', 'whose?');
    assert.notEqual(ambiguous.code, 0);
    assert.match(ambiguous.stderr, /several accounts exist.*--owner/);
    const named = await nb('create', '--title', 'Bob\'s', '--owner', 'BOB@example.test');
    assert.equal(named.code, 0, named.stderr);
    assert.equal(await storage.members.roleOf(named.stdout.trim(), bob.id), 'owner');
    assert.equal(await storage.members.roleOf(named.stdout.trim(), ada.id), null);
    const unknown = await nb('import', '--owner', 'nobody@example.test', corpusFile('nbformat-test4.5.ipynb'));
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no account with the email nobody@example\.test/);
  } finally {
    await storage.close();
  }
});
