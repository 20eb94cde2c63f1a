// One knowledge base (templates/admin/knowledge-base.html): uploads by drag and drop or file picker (XMLHttpRequest,
// whose upload events give the progress bar; fetch has none), documents a page at a time (GET /api/documents with its
// cursor), their ingestion followed live by polling the documents still in progress, a document's chunks in a dialog,
// re-index and delete.
import { call, csrfToken, problemText, renew } from '../api.js';
import { element } from '../answer.js';

const PAGE = 50;
const CHUNKS_PAGE = 50;
/** How often documents still being ingested are looked at again, and how many per look (the rest wait their turn). */
const POLL_MS = 1500;
const POLL_BATCH = 20;
const IN_PROGRESS = new Set(['queued', 'parsing', 'embedding']);

export function formatSize(bytes) {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  if (bytes < 1024 * 1024) {
    return `${(bytes / 1024).toFixed(1)} KB`;
  }
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function button(text, className, label) {
  const node = element('button', className, text);
  node.type = 'button';
  if (label) {
    node.setAttribute('aria-label', label);
  }
  return node;
}

class KnowledgeBasePage {
  constructor(root) {
    this.root = root;
    this.baseId = root.dataset.baseId;
    this.rows = root.querySelector('[data-rows]');
    this.table = root.querySelector('[data-table]');
    this.empty = root.querySelector('[data-empty]');
    this.more = root.querySelector('[data-more]');
    this.error = root.querySelector('[data-page-error]');
    this.live = root.querySelector('[data-live]');
    this.uploads = root.querySelector('[data-uploads]');
    this.dialog = root.querySelector('[data-chunks-dialog]');
    this.next = null;
    this.timer = null;
    this.chunks = { documentId: null, after: -1 };
  }

  init() {
    const zone = this.root.querySelector('[data-dropzone]');
    for (const type of ['dragenter', 'dragover']) {
      zone.addEventListener(type, (event) => {
        event.preventDefault();
        zone.classList.add('dragging');
      });
    }
    zone.addEventListener('dragleave', (event) => {
      if (!zone.contains(event.relatedTarget)) {
        zone.classList.remove('dragging');
      }
    });
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      zone.classList.remove('dragging');
      this.uploadAll([...(event.dataTransfer?.files ?? [])]);
    });
    const input = this.root.querySelector('[data-file-input]');
    input.addEventListener('change', () => {
      const files = [...input.files];
      input.value = '';
      this.uploadAll(files);
    });
    this.more.addEventListener('click', () => this.load(this.next));
    this.dialog.querySelector('[data-close]').addEventListener('click', () => this.dialog.close());
    this.dialog.querySelector('[data-more-chunks]').addEventListener('click', () => this.loadChunks());
    this.load(null);
  }

  showError(text) {
    this.error.textContent = text ?? '';
    this.error.hidden = !text;
  }

  announce(text) {
    this.live.textContent = text;
  }

  async uploadAll(files) {
    for (const file of files) {
      await this.upload(file);
    }
  }

  /** Uploads one file with a progress bar; resolves when the server has answered (or the upload failed). */
  async upload(file) {
    const item = element('li', 'upload');
    const state = element('span', 'upload-state', 'uploading…');
    const progress = element('progress');
    progress.max = Math.max(file.size, 1);
    progress.value = 0;
    progress.setAttribute('aria-label', `Upload of ${file.name}`);
    item.append(element('span', 'upload-name', file.name), state, progress);
    this.uploads.prepend(item);
    let answer = await this.send(file, progress);
    if (answer.status === 401 && await renew()) {
      answer = await this.send(file, progress);
    }
    if (answer.status === 0) {
      this.uploadFailed(item, state, 'The upload failed: the connection broke (a file over the size limit is cut off).');
      return;
    }
    let body = null;
    try {
      body = JSON.parse(answer.text);
    } catch (ignored) {
      body = null;
    }
    if (answer.status < 200 || answer.status >= 300) {
      this.uploadFailed(item, state, body?.detail || body?.title || `The server answered ${answer.status}.`);
      return;
    }
    progress.value = progress.max;
    item.dataset.documentId = body.document.id;
    state.textContent = body.duplicate ? 'already in this knowledge base' : 'uploaded, indexing';
    this.announce(`${file.name}: ${state.textContent}.`);
    this.show(body.document, true);
  }

  uploadFailed(item, state, message) {
    item.classList.add('failed');
    state.textContent = message;
    this.announce(`${item.querySelector('.upload-name').textContent}: ${message}`);
  }

  /** One multipart POST through XMLHttpRequest; resolves to {status, text} (status 0: no answer). */
  send(file, progress) {
    return new Promise((resolve) => {
      const request = new XMLHttpRequest();
      request.open('POST', `/api/documents?knowledgeBaseId=${encodeURIComponent(this.baseId)}`);
      request.setRequestHeader('Accept', 'application/json, application/problem+json');
      const token = csrfToken();
      if (token) {
        request.setRequestHeader('X-CSRF-Token', token);
      }
      request.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable) {
          progress.max = Math.max(event.total, 1);
          progress.value = event.loaded;
        }
      });
      request.addEventListener('load', () => resolve({ status: request.status, text: request.responseText }));
      request.addEventListener('error', () => resolve({ status: 0, text: '' }));
      const form = new FormData();
      form.append('file', file, file.name);
      request.send(form);
    });
  }

  async load(cursor) {
    const query = new URLSearchParams({ knowledgeBaseId: this.baseId, limit: String(PAGE) });
    if (cursor) {
      query.set('cursor', cursor);
    }
    const response = await call('GET', `/api/documents?${query}`);
    if (!response.ok) {
      this.showError(await problemText(response));
      return;
    }
    const page = await response.json();
    if (!cursor) {
      this.rows.replaceChildren();
    }
    page.documents.forEach((document) => this.show(document, false));
    this.next = page.next ?? null;
    this.more.hidden = !this.next;
    this.refreshEmpty();
    this.follow();
  }

  refreshEmpty() {
    const any = this.rows.children.length > 0;
    this.table.hidden = !any;
    this.empty.hidden = any;
  }

  rowOf(id) {
    return [...this.rows.children].find((row) => row.dataset.documentId === id);
  }

  /** Shows a document: its row updated in place, or a new row (first when {@code newest}, else last). */
  show(document, newest) {
    const existing = this.rowOf(document.id);
    if (existing) {
      this.update(existing, document);
      this.follow();
      return;
    }
    const row = element('tr');
    row.dataset.documentId = document.id;
    const status = element('td', 'doc-status-cell');
    const actions = element('td');
    const box = element('div', 'row-actions');
    const chunks = button('Chunks', 'secondary', `Chunks of ${document.name}`);
    chunks.addEventListener('click', () => this.openChunks(document));
    const download = element('a', null, 'Download');
    download.href = `/api/documents/${document.id}/file`;
    download.setAttribute('download', '');
    download.setAttribute('aria-label', `Download ${document.name}`);
    const reindex = button('Re-index', 'secondary', `Re-index ${document.name}`);
    reindex.dataset.reindex = '';
    reindex.addEventListener('click', () => this.reindex(document));
    const remove = button('Delete', 'secondary danger', `Delete ${document.name}`);
    remove.addEventListener('click', () => this.remove(document));
    box.append(chunks, download, reindex, remove);
    actions.append(box);
    row.append(element('td', 'doc-name', document.name), status, element('td', 'number', formatSize(document.sizeBytes)),
      element('td', null, new Date(document.createdAt).toLocaleString()), actions);
    this.update(row, document);
    if (newest) {
      this.rows.prepend(row);
    } else {
      this.rows.append(row);
    }
    this.refreshEmpty();
    this.follow();
  }

  /** The row's status cell and actions for the document as it is now; a change of status is announced. */
  update(row, document) {
    const before = row.dataset.status;
    row.dataset.status = document.status;
    const cell = row.querySelector('.doc-status-cell');
    const box = element('div', 'doc-status');
    box.append(element('span', `status-${document.status}`, document.status));
    if (document.status === 'embedding' && document.chunksTotal) {
      const progress = element('progress');
      progress.max = document.chunksTotal;
      progress.value = document.chunksDone;
      progress.setAttribute('aria-label', `Indexing of ${document.name}`);
      box.append(progress, element('span', 'hint', `${document.chunksDone} of ${document.chunksTotal} chunks`));
    }
    if (document.status === 'failed' && document.error) {
      box.append(element('span', 'doc-error', document.error));
    }
    cell.replaceChildren(box);
    row.querySelector('[data-reindex]').disabled = IN_PROGRESS.has(document.status);
    if (before && before !== document.status && !IN_PROGRESS.has(document.status)) {
      this.announce(`${document.name}: ${document.status}.`);
      const upload = [...this.uploads.children].find((item) => item.dataset.documentId === document.id);
      if (upload) {
        upload.querySelector('.upload-state').textContent = document.status === 'indexed' ? 'uploaded and indexed' : 'indexing failed';
        upload.classList.toggle('failed', document.status === 'failed');
      }
    }
  }

  /** Looks again, every POLL_MS, at the documents still being ingested, until none is. */
  follow() {
    if (this.timer || !this.busyRows().length) {
      return;
    }
    this.timer = setTimeout(async () => {
      try {
        await this.poll();
      } finally {
        this.timer = null;
        this.follow();
      }
    }, POLL_MS);
  }

  busyRows() {
    return [...this.rows.children].filter((row) => IN_PROGRESS.has(row.dataset.status));
  }

  async poll() {
    for (const row of this.busyRows().slice(0, POLL_BATCH)) {
      const response = await call('GET', `/api/documents/${row.dataset.documentId}`);
      if (response.status === 404) {
        row.remove();
        this.refreshEmpty();
      } else if (response.ok) {
        this.update(row, await response.json());
      }
    }
  }

  async reindex(document) {
    const response = await call('POST', `/api/documents/${document.id}/reindex`);
    if (!response.ok) {
      this.showError(await problemText(response));
      return;
    }
    this.showError(null);
    this.show(await response.json(), false);
    this.announce(`${document.name}: queued for re-indexing.`);
  }

  async remove(document) {
    if (!window.confirm(`Delete "${document.name}"? Its chunks leave the index at once. It cannot be undone.`)) {
      return;
    }
    const response = await call('DELETE', `/api/documents/${document.id}`);
    if (!response.ok && response.status !== 404) {
      this.showError(await problemText(response));
      return;
    }
    this.showError(null);
    this.rowOf(document.id)?.remove();
    this.refreshEmpty();
    this.announce(`${document.name}: deleted.`);
  }

  async openChunks(document) {
    this.chunks = { documentId: document.id, after: -1 };
    this.dialog.querySelector('[data-chunks-title]').textContent = `Chunks of ${document.name}`;
    this.dialog.querySelector('[data-chunk-list]').replaceChildren();
    await this.loadChunks();
    if (!this.dialog.open) {
      this.dialog.showModal();
    }
  }

  async loadChunks() {
    const { documentId, after } = this.chunks;
    const response = await call('GET', `/api/documents/${documentId}/chunks?after=${after}&limit=${CHUNKS_PAGE}`);
    if (!response.ok) {
      this.showError(await problemText(response));
      return;
    }
    const page = await response.json();
    const list = this.dialog.querySelector('[data-chunk-list]');
    for (const chunk of page.chunks) {
      const item = element('li');
      item.append(element('p', 'chunk-head', `#${chunk.ordinal + 1}${chunk.location ? ` · ${chunk.location}` : ''}`),
        element('p', 'passage-text', chunk.text));
      list.append(item);
    }
    this.chunks.after = page.nextAfter ?? null;
    this.dialog.querySelector('[data-more-chunks]').hidden = page.nextAfter === null || page.nextAfter === undefined;
    this.dialog.querySelector('[data-chunks-empty]').hidden = list.children.length > 0;
  }
}

export function init(root) {
  new KnowledgeBasePage(root).init();
}
