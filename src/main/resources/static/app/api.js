// Calls to Switchboard's API from the browser session: the session cookies travel by themselves, and every call
// repeats the CSRF cookie's value in X-CSRF-Token (the server's double-submit check).
const CSRF_COOKIE = 'SB_CSRF';

export function csrfToken() {
  const match = document.cookie.match(new RegExp('(?:^|;\\s*)' + CSRF_COOKIE + '=([^;]+)'));
  return match ? decodeURIComponent(match[1]) : null;
}

function forgetSession() {
  document.cookie = CSRF_COOKIE + '=; Max-Age=0; Path=/; Secure; SameSite=Strict';
}

/**
 * Sends a request; {@code body} (if any) as JSON. Resolves to the Response, whatever its status. {@code options}:
 * {@code accept} (default JSON) and {@code signal} (an AbortSignal).
 */
export function send(method, path, body, options = {}) {
  const headers = { Accept: options.accept || 'application/json, application/problem+json' };
  const token = csrfToken();
  if (token) {
    headers['X-CSRF-Token'] = token;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  return fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    signal: options.signal,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * Renews the session from the refresh cookie (the access cookie lasts minutes). Only tried when a session was started
 * in this browser (the CSRF cookie says so), so that a visitor who never signed in causes no failing request.
 */
export async function renew() {
  if (!csrfToken()) {
    return false;
  }
  const response = await send('POST', '/api/auth/refresh');
  if (!response.ok) {
    forgetSession();
  }
  return response.ok;
}

/** Like {@link send}, renewing the session once when the access token has expired; signs in again when that fails. */
export async function call(method, path, body, options) {
  let response = await send(method, path, body, options);
  if (response.status === 401 && await renew()) {
    response = await send(method, path, body, options);
  }
  if (response.status === 401) {
    window.location.assign('/sign-in');
  }
  return response;
}

/** What to tell the user about a refused request: the problem's detail (RFC 9457), else its status. */
export async function problemText(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || `The server answered ${response.status}.`;
  } catch (ignored) {
    return `The server answered ${response.status}.`;
  }
}
