package dev.switchboard.ui.internal;

import dev.switchboard.identity.Caller;

/**
 * Who is looking at a page, as the layout shows them: the signed-in user's address and whether the admin console is
 * theirs.
 *
 * @param email the user's e-mail address
 * @param admin whether the user acts as admin (the console's navigation is shown)
 */
record Viewer(String email, boolean admin) {

    static Viewer of(Caller caller) {
        return new Viewer(caller.email(), caller.actsAsAdmin());
    }
}
