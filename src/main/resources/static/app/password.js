// The password change: every session ends with it, so the user signs in again with the new password.
import { call } from './api.js';
import { handle, showError, values } from './forms.js';

export function init(form) {
  handle(form, async () => {
    const { currentPassword, newPassword, confirmation } = values(form);
    if (newPassword !== confirmation) {
      showError(form, 'The two new passwords differ. Type the same password twice.');
      return null;
    }
    const response = await call('POST', '/api/auth/password', { currentPassword, newPassword });
    if (response.ok) {
      window.location.assign('/sign-in?notice=password_changed');
      return null;
    }
    return response;
  });
}
