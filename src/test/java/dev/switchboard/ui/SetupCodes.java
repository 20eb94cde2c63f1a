package dev.switchboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The set-up code as an operator finds it: in the server's log line that names /setup. */
final class SetupCodes {

    private static final Pattern CODE = Pattern.compile("Open /setup in a browser and enter the set-up code ([A-Z0-9-]{24})");

    private SetupCodes() {
    }

    static String fromLog(CharSequence output) {
        Matcher matcher = CODE.matcher(output);
        assertThat(matcher.find()).as("the start-up log names the set-up code").isTrue();
        return matcher.group(1);
    }
}
