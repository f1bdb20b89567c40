// Versions, publications and fork origins, proven against both real databases
// (a fresh SQLite file and a fresh PostgreSQL schema) through the storage API.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundError, type Storage } from './index';
import { testBackends } from './test-databases';

for (const backend of testBackends('versions')) {
  describe(`versions on ${backend.name}`, () => {
    let storage: Storage;
    before(async () => { storage = await backend.open(); });
    after(async () => {
      await storage?.close();
      await backend.cleanUp();
    });

    const save = (notebookId: string, name: string, extra: { kind?: 'quick' | 'fresh-run'; runResult?: unknown } = {}) =>
      storage.versions.create({
        notebookId, name, authorId: null, authorName: 'Ada', kind: extra.kind ?? 'quick',
        nbformat: `{"name":"${name}"}`, ydoc: new Uint8Array([1, 2, 3, name.length]), runResult: extra.runResult,
      });

    test('versions are stored with their content, listed newest first, and kept per notebook', async () => {
      const nb = await storage.notebooks.create({ title: 'Study' });
      const other = await storage.notebooks.create({ title: 'Other' });
      const first = await save(nb.id, 'first');
      const second = await save(nb.id, 'second', { kind: 'fresh-run', runResult: { ok: true, cells: [{ index: 0, differs: false }] } });
      await save(other.id, 'elsewhere');

      assert.equal(first.kind, 'quick');
      assert.equal(first.runResult, null);
      assert.equal(first.publishedSlug, null);
      assert.deepEqual(second.runResult, { ok: true, cells: [{ index: 0, differs: false }] });
      assert.deepEqual((await storage.versions.list(nb.id)).map((v) => v.name).sort(), ['first', 'second']);
      assert.equal((await storage.versions.list(other.id)).length, 1);
      assert.equal((await storage.versions.list(nb.id))[0].createdAt >= (await storage.versions.list(nb.id))[1].createdAt, true);
      const content = await storage.versions.content(second.id);
      assert.equal(content?.nbformat, '{"name":"second"}');
      assert.deepEqual([...content!.ydoc], [1, 2, 3, 6]);
      assert.equal(content!.ydocBaseId, null);
      const delta = await storage.versions.create({
        notebookId: nb.id, name: 'delta', authorId: null, authorName: 'Ada', kind: 'quick', nbformat: null, ydoc: new Uint8Array([9]), ydocBaseId: second.id,
      });
      assert.deepEqual(await storage.versions.content(delta.id), { nbformat: null, ydoc: new Uint8Array([9]), ydocBaseId: second.id });
      assert.deepEqual(await storage.versions.get(first.id), first);
      assert.equal(await storage.versions.get('nope'), null);
      assert.equal(await storage.versions.content('nope'), null);
      await assert.rejects(save('no-such-notebook', 'x'), NotFoundError);
    });

    test('publish gives one unguessable slug per version; unpublish makes the slug resolve to nothing', async () => {
      const nb = await storage.notebooks.create({ title: 'Pub' });
      const version = await save(nb.id, 'v1');
      const unpublished = await save(nb.id, 'v2');
      const slug = await storage.versions.publish(version.id, { publishedBy: 'user-1', slugPrefix: 'Pivot Tables: a Tour!' });
      assert.match(slug, /^pivot-tables-a-tour-[a-z0-9]{10}$/);
      assert.equal(await storage.versions.publish(version.id, { publishedBy: 'user-1', slugPrefix: 'other' }), slug, 'publishing twice keeps the slug');
      assert.equal((await storage.versions.bySlug(slug))?.id, version.id);
      assert.equal((await storage.versions.get(version.id))?.publishedSlug, slug);
      assert.equal((await storage.versions.get(unpublished.id))?.publishedSlug, null);
      assert.equal(await storage.versions.bySlug('pivot-tables'), null);
      assert.equal(await storage.versions.bySlug('../etc'), null);

      assert.equal(await storage.versions.unpublish(version.id), true);
      assert.equal(await storage.versions.unpublish(version.id), false);
      assert.equal(await storage.versions.bySlug(slug), null);
      assert.equal((await storage.versions.content(version.id))?.nbformat, '{"name":"v1"}', 'the version itself stays');
      await assert.rejects(storage.versions.publish('nope', { publishedBy: 'u', slugPrefix: '' }), NotFoundError);
    });

    test('forks record their origin and count on the source; deleting a notebook removes its versions', async () => {
      const source = await storage.notebooks.create({ title: 'Source' });
      const version = await save(source.id, 'v');
      const fork1 = await storage.notebooks.create({ title: 'Fork 1', forkedFrom: { notebookId: source.id, versionId: null } });
      const fork2 = await storage.notebooks.create({ title: 'Fork 2', forkedFrom: { notebookId: source.id, versionId: version.id } });
      assert.deepEqual(await storage.notebooks.originOf(fork1.id), { notebookId: source.id, versionId: null });
      assert.deepEqual(await storage.notebooks.originOf(fork2.id), { notebookId: source.id, versionId: version.id });
      assert.equal(await storage.notebooks.originOf(source.id), null);
      assert.equal(await storage.notebooks.forkCount(source.id), 2);
      assert.equal(await storage.notebooks.forkCount(fork1.id), 0);

      await storage.notebooks.delete(source.id);
      assert.equal(await storage.versions.get(version.id), null);
      assert.deepEqual(await storage.notebooks.originOf(fork2.id), { notebookId: source.id, versionId: version.id }, 'a fork outlives its source');
    });
  });
}
