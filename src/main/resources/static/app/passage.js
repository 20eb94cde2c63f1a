// A cited passage, opened from a citation under an answer: the exact text the model was given
// (GET /api/knowledge/chunks/{chunkId}), its document, page or section, and a link to the original file.
import { call, problemText } from './api.js';
import { element } from './answer.js';

let dialog;

function panel() {
  if (dialog) {
    return dialog;
  }
  dialog = element('dialog', 'panel passage-dialog');
  dialog.setAttribute('aria-labelledby', 'passage-title');
  const head = element('div', 'panel-head');
  const title = element('h2', null, 'Source');
  title.id = 'passage-title';
  const close = element('button', 'secondary', 'Close');
  close.type = 'button';
  close.addEventListener('click', () => dialog.close());
  head.append(title, close);
  dialog.append(head, element('p', 'panel-meta'), element('p', 'passage-text'), element('p', 'passage-file'));
  document.body.append(dialog);
  return dialog;
}

/** Opens the passage of {@code citation} ({marker, documentId, documentName, chunkId, location, quote}) in a dialog. */
export async function openPassage(citation) {
  const box = panel();
  const [title, meta, text, file] = [box.querySelector('h2'), box.querySelector('.panel-meta'), box.querySelector('.passage-text'),
    box.querySelector('.passage-file')];
  title.textContent = `[${citation.marker}] ${citation.documentName ?? 'Source'}`;
  meta.textContent = citation.location || '';
  text.textContent = 'Loading the passage…';
  text.classList.remove('error');
  file.replaceChildren();
  if (!box.open) {
    box.showModal();
  }
  const response = await call('GET', `/api/knowledge/chunks/${encodeURIComponent(citation.chunkId)}`);
  if (!response.ok) {
    text.classList.add('error');
    text.textContent = response.status === 404
      ? 'This passage is no longer available: its document was deleted or is being indexed again.'
      : await problemText(response);
    return;
  }
  const chunk = await response.json();
  title.textContent = `[${citation.marker}] ${chunk.documentName}`;
  meta.textContent = [chunk.location, `passage ${chunk.ordinal + 1}`].filter(Boolean).join(' · ');
  text.textContent = chunk.text;
  const link = element('a', null, 'Download the original file');
  link.href = `/api/documents/${chunk.documentId}/file`;
  link.setAttribute('download', '');
  file.append(link);
}
