// The knowledge bases page (templates/admin/knowledge.html): lists, creates and deletes knowledge bases, and shows the
// progress of a re-index after an embedding-model change (GET /api/knowledge/index).
import { call, problemText } from '../api.js';
import { element } from '../answer.js';
import { handle, values } from '../forms.js';

const INDEX_POLL_MS = 5000;

function link(href, text) {
  const anchor = element('a', null, text);
  anchor.href = href;
  return anchor;
}

class KnowledgePage {
  constructor(root) {
    this.root = root;
    this.rows = root.querySelector('[data-rows]');
    this.table = root.querySelector('[data-table]');
    this.empty = root.querySelector('[data-empty]');
    this.error = root.querySelector('[data-page-error]');
  }

  init() {
    const form = this.root.querySelector('[data-create-base]');
    handle(form, async () => {
      const body = values(form);
      if (!body.description?.trim()) {
        delete body.description;
      }
      const response = await call('POST', '/api/knowledge-bases', body);
      if (!response.ok) {
        return response;
      }
      form.reset();
      form.querySelector('[data-error]').hidden = true;
      await this.load();
      return null;
    });
    this.load();
    this.followIndex();
  }

  showError(text) {
    this.error.textContent = text ?? '';
    this.error.hidden = !text;
  }

  async load() {
    const response = await call('GET', '/api/knowledge-bases');
    if (!response.ok) {
      this.showError(await problemText(response));
      return;
    }
    const { knowledgeBases } = await response.json();
    this.rows.replaceChildren(...knowledgeBases.map((base) => this.row(base)));
    this.table.hidden = knowledgeBases.length === 0;
    this.empty.hidden = knowledgeBases.length > 0;
  }

  row(base) {
    const row = element('tr');
    row.dataset.baseId = base.id;
    const name = element('td');
    name.append(link(`/admin/knowledge/${base.id}`, base.name));
    const remove = element('button', 'secondary danger', 'Delete');
    remove.type = 'button';
    remove.setAttribute('aria-label', `Delete ${base.name}`);
    remove.addEventListener('click', () => this.remove(base));
    const actions = element('td');
    const box = element('div', 'row-actions');
    box.append(remove);
    actions.append(box);
    row.append(name, element('td', null, base.description ?? ''),
      element('td', null, new Date(base.createdAt).toLocaleString()), actions);
    return row;
  }

  async remove(base) {
    if (!window.confirm(`Delete the knowledge base "${base.name}" with every document in it? It cannot be undone.`)) {
      return;
    }
    const response = await call('DELETE', `/api/knowledge-bases/${base.id}`);
    if (!response.ok) {
      this.showError(await problemText(response));
      return;
    }
    this.showError(null);
    await this.load();
  }

  /** While the index is re-embedded for another model, its progress; checked again until it is ready. */
  async followIndex() {
    const box = this.root.querySelector('[data-index-status]');
    const response = await call('GET', '/api/knowledge/index');
    if (!response.ok) {
      return;
    }
    const index = await response.json();
    box.hidden = index.status !== 'reindexing';
    if (index.status === 'reindexing') {
      const total = Math.max(index.chunksTotal ?? 0, 1);
      this.root.querySelector('[data-index-text]').textContent = `Re-indexing every document for the embedding model `
        + `${index.model}: ${index.chunksDone ?? 0} of ${index.chunksTotal ?? '?'} chunks. Search works meanwhile.`;
      const progress = this.root.querySelector('[data-index-progress]');
      progress.max = total;
      progress.value = Math.min(index.chunksDone ?? 0, total);
      setTimeout(() => this.followIndex(), INDEX_POLL_MS);
    }
  }
}

export function init(root) {
  new KnowledgePage(root).init();
}
