// The sign-in page: renews a session that only needs it, else signs in as a browser session (cookies).
import { renew, send } from './api.js';
import { handle, values } from './forms.js';

export async function init(form) {
  if (await renew()) {
    window.location.replace('/');
    return;
  }
  handle(form, async () => {
    const { email, password, remember } = values(form);
    const response = await send('POST', '/api/auth/login', { email, password, remember, cookie: true });
    if (response.ok) {
      window.location.assign('/');
      return null;
    }
    form.querySelector('#password').value = '';
    return response;
  });
}
