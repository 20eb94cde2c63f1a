// Shared by the console's operations pages (providers, MCP servers, databases, ask, audit, usage): building table rows
// as DOM (never HTML strings: every value is text), readable times and numbers, and the page's error line.
import { call, problemText } from '../api.js';

/** An element with attributes ({@code text} sets its text) and children. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'text') {
      element.textContent = String(value);
    } else if (name === 'className') {
      element.className = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  element.append(...children.filter((child) => child !== undefined && child !== null));
  return element;
}

/** A table row of cells; a cell is text, a Node, or {text, number: true}. */
export function row(...cells) {
  return el('tr', {}, ...cells.map((cell) => {
    if (cell instanceof Node) {
      return el('td', {}, cell);
    }
    if (cell && typeof cell === 'object') {
      return el('td', { className: cell.number ? 'number' : undefined, text: cell.text ?? '' });
    }
    return el('td', { text: cell ?? '' });
  }));
}

/** An empty table's one row, saying so. */
export function emptyRow(columns, text) {
  return el('tr', {}, el('td', { colspan: columns, className: 'empty', text }));
}

export function time(value) {
  return value ? new Date(value).toLocaleString() : '—';
}

export function number(value) {
  return Number(value ?? 0).toLocaleString();
}

/** Shows (or, with no text, hides) the page's error line. */
export function pageError(section, text) {
  const alert = section.querySelector('[data-page-error]');
  alert.textContent = text || '';
  alert.hidden = !text;
}

/** GETs JSON from the API; a refusal is shown as the page's error and resolves to null. */
export async function load(section, path) {
  const response = await call('GET', path);
  if (!response.ok) {
    pageError(section, await problemText(response));
    return null;
  }
  return response.json();
}
