// The chat page: sends a message through POST /api/chat as Server-Sent Events and shows the answer as it streams
// (answer.js), lists the user's sessions to continue, rename, export or delete one, and explains refusals.
import { call } from './api.js';
import { element, renderMarkdown, showCitations, showTarget, toolDetails, toolResult, Turn } from './answer.js';
import { events } from './sse.js';
import { explain } from './problems.js';

const SESSIONS_PAGE = 20;
const MESSAGES_PAGE = 500;
/** The session search waits for a pause in typing before it asks the server. */
const SEARCH_DELAY_MS = 250;

/** The page's state and wiring. */
class ChatPage {
  constructor(root) {
    this.root = root;
    this.persona = root.querySelector('[data-persona]');
    this.messages = root.querySelector('[data-messages]');
    this.form = root.querySelector('[data-chat-form]');
    this.input = this.form.querySelector('textarea');
    this.sendButton = root.querySelector('[data-send]');
    this.stopButton = root.querySelector('[data-stop]');
    this.errorBox = root.querySelector('[data-chat-error]');
    this.notice = root.querySelector('[data-chat-notice]');
    this.status = root.querySelector('[data-chat-status]');
    this.sessionList = root.querySelector('[data-session-list]');
    this.moreSessions = root.querySelector('[data-more-sessions]');
    this.search = root.querySelector('[data-session-search]');
    this.searchTimer = null;
    this.sessionsLoad = 0;
    this.sessionId = null;
    this.viewed = null;
    this.controller = null;
    this.nextSessions = null;
  }

  init() {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.form.requestSubmit();
      }
    });
    this.stopButton.addEventListener('click', () => this.controller?.abort());
    this.persona.addEventListener('change', () => this.newChat());
    this.root.querySelector('[data-new-chat]').addEventListener('click', () => this.newChat());
    this.moreSessions.addEventListener('click', () => this.loadSessions(this.nextSessions));
    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.loadSessions(null), SEARCH_DELAY_MS);
    });
    this.root.querySelector('[data-delete-session]').addEventListener('click', () => this.deleteSession());
    this.root.querySelector('[data-rename-session]').addEventListener('click', () => this.renameSession());
    this.showDescription();
    this.loadSessions(null);
    // The message box is usable from here: every handler is wired. bench/web-chat.sh times this mark.
    this.root.dataset.ready = 'true';
    performance.mark('switchboard:chat-ready');
  }

  showDescription() {
    const id = this.persona.selectedOptions[0]?.dataset.id;
    this.root.querySelectorAll('[data-persona-id]').forEach((description) => {
      description.hidden = description.dataset.personaId !== id;
    });
  }

  newChat() {
    this.controller?.abort();
    this.sessionId = null;
    this.viewed = null;
    this.messages.replaceChildren();
    this.showError(null);
    this.showNotice(null);
    this.markCurrent();
    this.showDescription();
    this.input.focus();
  }

  showError(message) {
    this.errorBox.textContent = message ?? '';
    this.errorBox.hidden = !message;
  }

  showNotice(message) {
    this.notice.textContent = message ?? '';
    this.notice.hidden = !message;
  }

  busy(sending) {
    this.sendButton.disabled = sending;
    this.stopButton.hidden = !sending;
  }

  async send() {
    const text = this.input.value.trim();
    if (!text || this.controller) {
      return;
    }
    this.showError(null);
    const turn = new Turn(this.messages, text);
    this.input.value = '';
    this.controller = new AbortController();
    this.busy(true);
    this.status.textContent = 'Answering…';
    try {
      await this.stream(turn, text, this.controller.signal);
    } catch (error) {
      if (error.name === 'AbortError') {
        turn.stopped();
      } else {
        turn.failed('The connection to the server broke. Try again.');
        this.showError('The connection to the server broke. Try again.');
      }
    } finally {
      this.status.textContent = { complete: 'Answer complete.', incomplete: 'The answer is incomplete.', stopped: 'Stopped.' }[turn.item.dataset.status]
        ?? 'The answer failed.';
      this.controller = null;
      this.busy(false);
      this.loadSessions(null);
    }
  }

  async stream(turn, text, signal) {
    const body = { agent: this.persona.value, message: text };
    if (this.sessionId) {
      body.sessionId = this.sessionId;
    }
    const response = await call('POST', '/api/chat', body, { accept: 'text/event-stream', signal });
    if (!response.ok) {
      const explanation = await explain(response);
      if (explanation.sessionExpired) {
        this.sessionId = null;
      }
      turn.failed(explanation.message);
      this.showError(explanation.message);
      return;
    }
    for await (const { event, data } of events(response)) {
      const payload = JSON.parse(data);
      if (event === 'tool_call') {
        turn.toolCall(payload);
      } else if (event === 'tool_result') {
        turn.toolResult(payload);
      } else if (event === 'delta') {
        turn.delta(payload.text);
      } else if (event === 'done') {
        this.sessionId = payload.sessionId;
        this.viewed = payload.sessionId;
        turn.done(payload);
      } else if (event === 'error') {
        this.sessionId = payload.sessionId ?? this.sessionId;
        this.viewed = this.sessionId;
        const message = payload.detail || payload.title || 'The answer broke off.';
        turn.failed(message);
        this.showError(message);
      }
    }
    if (!turn.item.dataset.status) {
      turn.failed('The answer broke off.');
      this.showError('The answer broke off. Try again.');
    }
  }

  async loadSessions(cursor) {
    const query = new URLSearchParams({ limit: String(SESSIONS_PAGE) });
    if (cursor) {
      query.set('cursor', cursor);
    }
    const words = this.search.value.trim();
    if (words) {
      query.set('q', words);
    }
    const load = ++this.sessionsLoad;
    const aside = this.root.querySelector('[data-sessions]');
    aside.setAttribute('aria-busy', 'true');
    const response = await call('GET', `/api/sessions?${query}`);
    if (load !== this.sessionsLoad) {
      return; // a newer search has been sent meanwhile: its answer is the one to show
    }
    aside.setAttribute('aria-busy', 'false');
    if (!response.ok) {
      this.showError((await explain(response)).message);
      return;
    }
    const page = await response.json();
    if (!cursor) {
      this.sessionList.replaceChildren();
    }
    for (const session of page.sessions) {
      this.sessionList.append(this.sessionItem(session));
    }
    const empty = this.root.querySelector('[data-sessions-empty]');
    empty.textContent = words ? 'No session matches.' : 'No session yet.';
    empty.hidden = this.sessionList.children.length > 0;
    this.nextSessions = page.next ?? null;
    this.moreSessions.hidden = !this.nextSessions;
    this.markCurrent();
  }

  sessionItem(session) {
    const item = element('li');
    const button = element('button', 'session');
    button.type = 'button';
    button.dataset.sessionId = session.id;
    button.append(element('span', 'session-title', session.title || 'Untitled'),
      element('span', 'session-time', new Date(session.lastActivityAt).toLocaleString()));
    if (session.expired) {
      button.append(element('span', 'badge', 'expired'));
    }
    button.addEventListener('click', () => this.continueSession(session));
    item.append(button);
    return item;
  }

  /** Marks the session on view in the list and offers its actions (export, delete). */
  markCurrent() {
    const actions = this.root.querySelector('[data-session-actions]');
    actions.hidden = !this.viewed;
    if (this.viewed) {
      actions.querySelectorAll('[data-export]').forEach((link) => {
        link.href = `/api/sessions/${this.viewed}/export?format=${link.dataset.export}`;
        link.setAttribute('download', '');
      });
    }
    this.sessionList.querySelectorAll('button.session').forEach((button) => {
      if (button.dataset.sessionId === this.viewed) {
        button.setAttribute('aria-current', 'true');
      } else {
        button.removeAttribute('aria-current');
      }
    });
  }

  async continueSession(session) {
    this.controller?.abort();
    const option = [...this.persona.options].find((candidate) => candidate.dataset.id === session.agentId);
    if (!option) {
      this.showError('The persona of this session is no longer available to you.');
      return;
    }
    this.persona.value = option.value;
    this.showDescription();
    this.showError(null);
    this.messages.replaceChildren();
    this.sessionId = session.id;
    this.viewed = session.id;
    this.markCurrent();
    this.showNotice(session.expired
      ? 'This session has expired: its history stays readable, but a new message starts a new chat.' : null);
    if (session.expired) {
      this.sessionId = null;
    }
    let after = 0;
    do {
      const response = await call('GET', `/api/sessions/${session.id}/messages?after=${after}&limit=${MESSAGES_PAGE}`);
      if (!response.ok) {
        this.showError((await explain(response)).message);
        return;
      }
      const page = await response.json();
      page.messages.forEach((message) => this.showStored(message));
      after = page.next ?? null;
    } while (after !== null);
    this.input.focus();
  }

  async renameSession() {
    const current = this.sessionList.querySelector(`button.session[data-session-id="${this.viewed}"] .session-title`);
    const title = this.viewed ? window.prompt('New title of the session', current?.textContent ?? '') : null;
    if (title === null || !title.trim()) {
      return;
    }
    const response = await call('PATCH', `/api/sessions/${this.viewed}`, { title: title.trim() });
    if (!response.ok) {
      this.showError((await explain(response)).message);
      return;
    }
    await this.loadSessions(null);
  }

  async deleteSession() {
    if (!this.viewed || !window.confirm('Delete this session? It cannot be undone.')) {
      return;
    }
    const response = await call('DELETE', `/api/sessions/${this.viewed}`);
    if (!response.ok) {
      this.showError((await explain(response)).message);
      return;
    }
    this.newChat();
    await this.loadSessions(null);
    this.showNotice('The session is deleted.');
  }

  /** A stored message, as GET /api/sessions/{id}/messages returns it. */
  showStored(message) {
    const last = this.messages.lastElementChild;
    if (message.role === 'user') {
      const item = element('li', 'message user');
      item.append(element('p', 'role', 'You'), element('div', 'content', message.content));
      this.messages.append(item);
      return;
    }
    let answer = last?.classList.contains('assistant') && !last.dataset.status ? last : null;
    if (!answer) {
      answer = element('li', 'message assistant');
      answer.append(element('p', 'role', 'Assistant'), element('div', 'tools'), element('div', 'content markdown'),
        element('div', 'answer-meta'));
      this.messages.append(answer);
    }
    const tools = answer.querySelector('.tools');
    if (message.role === 'tool_call') {
      tools.append(toolDetails(message.tool?.callId, message.tool?.name, message.content, 'called'));
    } else if (message.role === 'tool_result') {
      toolResult(tools, message.tool?.callId, message.tool?.error, message.content);
    } else {
      renderMarkdown(answer.querySelector('.content'), message.content ?? '');
      const footer = answer.querySelector('.answer-meta');
      showCitations(footer, message.citations ?? []);
      showTarget(footer, message.target, message.failover);
      if (message.status && message.status !== 'complete') {
        footer.append(element('p', 'answer-note', `This answer is ${message.status}.`));
      }
      answer.dataset.status = message.status ?? 'complete';
    }
  }
}

export function init(root) {
  new ChatPage(root).init();
}
