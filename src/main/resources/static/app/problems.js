// What to tell the user about a refused request, from its problem+json body (RFC 9457) and Retry-After.

function slug(problem) {
  // urn:switchboard:problem:<slug> (docs/errors.md); a URL's last segment likewise
  return String(problem.type ?? '').split(/[/:#]/).pop();
}

function wait(response) {
  const seconds = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  if (!Number.isFinite(seconds)) {
    return 'later';
  }
  if (seconds < 120) {
    return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
  }
  if (seconds < 7200) {
    return `in ${Math.ceil(seconds / 60)} minutes`;
  }
  return `in ${Math.ceil(seconds / 3600)} hours`;
}

/** {message, sessionExpired} for a response that is not ok. */
export async function explain(response) {
  let problem = {};
  try {
    problem = await response.json();
  } catch (ignored) {
    // not a problem body: the status speaks
  }
  const kind = slug(problem);
  const detail = problem.detail || problem.title || '';
  if (kind === 'token-quota-exceeded') {
    return { message: `Your token quota is used up. Try again ${wait(response)}.` };
  }
  if (response.status === 429) {
    return { message: `Too many requests. Try again ${wait(response)}.` };
  }
  if (kind === 'session-expired' || response.status === 410) {
    return { sessionExpired: true, message: 'This session has expired. Send your message again to start a new chat.' };
  }
  if (kind === 'history-unavailable') {
    return { message: `The answer could not be saved. Try again ${wait(response)}.` };
  }
  if (kind === 'llm-unavailable' || [502, 503, 504].includes(response.status)) {
    const retry = response.headers.get('Retry-After') ? ` Try again ${wait(response)}.` : ' Try again in a moment.';
    const what = kind === 'llm-unavailable' ? 'No model provider is answering right now.' : (detail || 'The service is unavailable.');
    return { message: what + retry };
  }
  return { message: detail || `The server answered ${response.status}.` };
}
