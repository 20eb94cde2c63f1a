// An answer on the chat page: the user's message, the answer as it streams (Markdown, sanitised, code blocks with a
// copy button), its tool calls, citations and the target that wrote it. Used for live and stored messages alike.
import { toSafeHtml } from './markdown.js';

/** An element with optional class and text. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = text;
  }
  return node;
}

export function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (ignored) {
    return text;
  }
}

/** Renders Markdown into {@code target} and gives every code block a copy button. */
export function renderMarkdown(target, markdown) {
  target.innerHTML = toSafeHtml(markdown);
  target.querySelectorAll('pre').forEach((pre) => {
    const copy = element('button', 'copy-code', 'Copy');
    copy.type = 'button';
    copy.setAttribute('aria-label', 'Copy code');
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(pre.querySelector('code')?.textContent ?? pre.textContent);
        copy.textContent = 'Copied';
      } catch (ignored) {
        copy.textContent = 'Copy failed';
      }
    });
    const wrapper = element('div', 'code-block');
    pre.replaceWith(wrapper);
    wrapper.append(pre, copy);
  });
}

/** A tool call, collapsed: its name and state in the summary, its arguments inside. */
export function toolDetails(callId, name, argumentsText, state) {
  const details = element('details', 'tool-call');
  details.dataset.callId = callId ?? '';
  const summary = element('summary');
  summary.append(element('span', 'tool-name', name), element('span', 'tool-state', state));
  details.append(summary, element('p', 'tool-label', 'Arguments'), element('pre', 'tool-arguments', prettyJson(argumentsText)));
  return details;
}

/** Adds a tool's result to its call (under {@code tools}, by call id); false when the call is not there. */
export function toolResult(tools, callId, error, content) {
  const details = [...tools.children].find((node) => node.dataset.callId === callId);
  if (!details) {
    return false;
  }
  details.querySelector('.tool-state').textContent = error ? 'failed' : 'done';
  details.classList.toggle('failed', Boolean(error));
  details.append(element('p', 'tool-label', 'Result'), element('pre', 'tool-result', content));
  return true;
}

/** One exchange on the page: the user's message and the answer as it arrives. */
export class Turn {
  constructor(list, text) {
    const question = element('li', 'message user');
    question.append(element('p', 'role', 'You'), element('div', 'content', text));
    this.item = element('li', 'message assistant');
    this.tools = element('div', 'tools');
    this.content = element('div', 'content markdown');
    this.footer = element('div', 'answer-meta');
    this.item.append(element('p', 'role', 'Assistant'), this.tools, this.content, this.footer);
    this.item.setAttribute('aria-busy', 'true');
    this.text = '';
    this.pending = false;
    list.append(question, this.item);
  }

  toolCall(call) {
    this.tools.append(toolDetails(call.id, call.name, call.arguments, 'running…'));
  }

  toolResult(result) {
    if (!toolResult(this.tools, result.id, result.error, result.content)) {
      this.toolCall({ id: result.id, name: result.name, arguments: '' });
      toolResult(this.tools, result.id, result.error, result.content);
    }
  }

  delta(text) {
    this.text += text;
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        renderMarkdown(this.content, this.text);
      });
    }
  }

  /** The answer is complete: its final text, citations and the target that wrote it. */
  done(reply) {
    this.item.removeAttribute('aria-busy');
    this.text = reply.message?.content ?? this.text;
    renderMarkdown(this.content, this.text);
    showCitations(this.footer, reply.message?.citations ?? []);
    showTarget(this.footer, reply.target, reply.failover);
    this.item.dataset.status = reply.message?.status ?? 'complete';
  }

  failed(message) {
    this.item.removeAttribute('aria-busy');
    renderMarkdown(this.content, this.text);
    this.item.dataset.status = 'failed';
    this.footer.append(element('p', 'answer-error', message));
  }

  stopped() {
    this.item.removeAttribute('aria-busy');
    renderMarkdown(this.content, this.text);
    this.item.dataset.status = 'stopped';
    this.footer.append(element('p', 'answer-note', 'Stopped.'));
  }
}

export function showCitations(footer, citations) {
  if (!citations.length) {
    return;
  }
  const section = element('section', 'citations');
  section.setAttribute('aria-label', 'Sources');
  section.append(element('h3', null, 'Sources'));
  const list = element('ol');
  for (const citation of citations) {
    const item = element('li', 'citation');
    const head = element('p', 'citation-source');
    const name = element('span', 'citation-document', citation.documentName);
    let source = name;
    if (citation.chunkId) {
      // Opens the exact passage and the original file (passage.js, loaded on the first click).
      source = element('button', 'citation-open');
      source.type = 'button';
      source.title = 'Show the passage';
      source.append(name);
      source.addEventListener('click', async () => (await import('./passage.js')).openPassage(citation));
    }
    head.append(element('span', 'citation-marker', `[${citation.marker}]`), ' ', source);
    if (citation.location) {
      head.append(' · ', element('span', 'citation-location', citation.location));
    }
    item.append(head);
    if (citation.quote) {
      item.append(element('blockquote', 'citation-quote', citation.quote));
    }
    list.append(item);
  }
  section.append(list);
  footer.append(section);
}

export function showTarget(footer, target, failover) {
  if (!target) {
    return;
  }
  const line = element('p', 'answer-target');
  line.append('Answered by ', element('code', null, target));
  if (failover) {
    const badge = element('span', 'badge', 'failover');
    badge.title = 'The first target of the chain did not answer; this one did.';
    line.append(' ', badge);
  }
  footer.append(line);
}
