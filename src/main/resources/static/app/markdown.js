// Markdown from users and models, rendered and then sanitised (DOMPurify) before it reaches the page.
import { marked } from '/webjars/marked/lib/marked.esm.js';
import DOMPurify from '/webjars/dompurify/dist/purify.es.mjs';

export function toSafeHtml(markdown) {
  return DOMPurify.sanitize(marked.parse(markdown, { async: false }));
}

/** Replaces the text of every [data-markdown] element under {@code root} with its rendered, sanitised Markdown. */
export function renderAll(root = document) {
  root.querySelectorAll('[data-markdown]').forEach((element) => {
    element.innerHTML = toSafeHtml(element.textContent);
    element.removeAttribute('data-markdown');
  });
}
