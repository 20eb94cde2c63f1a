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

/** Hides a form's error line once what it reported is past (forms.js shows it, nothing hides it). */
export function clearError(form) {
  form.querySelector('[data-error]').hidden = true;
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

/**
 * Sets a chart's scales for what it shows: values from 0 (bars and latencies read against zero), categories each
 * centred in their slot ({@code categories}: how many), time slots ({@code slot} seconds, e.g. days) likewise, and a
 * time axis of at least a minute (one point would otherwise span years).
 */
export function fitScales(plot, { values, categories, times, slot }) {
  const highest = Math.max(0, ...values.filter((one) => one !== null));
  plot.setScale('y', { min: 0, max: highest > 0 ? highest * 1.1 : 1 });
  if (categories !== undefined) {
    plot.setScale('x', { min: -0.5, max: categories - 0.5 });
  } else if (slot && times.length) {
    // bars of time slots (days): half a slot on either side, so the first and last bars show whole
    plot.setScale('x', { min: Math.min(...times) - slot / 2, max: Math.max(...times) + slot / 2 });
  } else if (times && times.length) {
    const first = Math.min(...times);
    const last = Math.max(...times);
    if (last - first < 60) {
      plot.setScale('x', { min: first - 30, max: last + 30 });
    }
  }
}
