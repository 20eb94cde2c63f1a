package dev.switchboard.shared.internal.logging;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data and secrets in free text before it is logged: e-mail addresses, phone numbers, card
 * numbers (Luhn-checked), IBANs (mod-97-checked), bearer tokens, JWTs, API keys and password-like fields.
 *
 * <p>Rules run in a fixed order, most specific first, so that a JWT is not half-eaten by the phone rule.
 * Over-redaction is preferred to leaking: a 16-digit order number that passes the Luhn check is masked too.
 */
public final class Redactor {

    /** One kind of secret: returns the text with every occurrence masked. */
    private interface Rule {

        String apply(String text);
    }

    /**
     * A pattern, how much of each match is secret ({@code span}: 0 for none, the match's length for all of
     * it), and what replaces the secret part. {@code $1} at the start of the replacement keeps group 1 (the
     * key of a key=value pair, the word "Bearer").
     */
    private record PatternRule(Predicate<String> mayMatch, Pattern pattern, ToIntFunction<String> span, String replacement)
            implements Rule {

        @Override
        public String apply(String text) {
            // A cheap test that every match needs (a literal, a character): most log lines hold no secret, and
            // the patterns without a literal prefix cost a scan from every position of the line.
            if (!mayMatch.test(text)) {
                return text;
            }
            Matcher matcher = pattern.matcher(text);
            if (!matcher.find()) {
                return text;
            }
            StringBuilder out = new StringBuilder(text.length());
            int last = 0;
            do {
                String match = matcher.group();
                int secret = span.applyAsInt(match);
                out.append(text, last, matcher.start());
                if (secret > 0) {
                    out.append(replacement.startsWith("$1") ? matcher.group(1) + replacement.substring(2) : replacement)
                            .append(match, secret, match.length());
                }
                else {
                    out.append(match);
                }
                last = matcher.end();
            } while (matcher.find());
            return out.append(text, last, text.length()).toString();
        }
    }

    private static final ToIntFunction<String> WHOLE = String::length;

    private static final List<Rule> RULES = List.of(
            new PatternRule(text -> text.contains("eyJ"),
                    Pattern.compile("\\beyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*"), WHOLE, "[REDACTED-JWT]"),
            new PatternRule(text -> containsIgnoreCase(text, "authorization"),
                    Pattern.compile("(?i)(\"?\\bauthorization\"?\\s*[:=]\\s*\"?)[^\"\\r\\n,;}]+"), WHOLE, "$1[REDACTED]"),
            new PatternRule(text -> containsIgnoreCase(text, "bearer"),
                    Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/=-]{16,}"), WHOLE, "$1 [REDACTED]"),
            new PatternRule(text -> text.contains("sb_") || text.contains("sk-") || text.contains("sk_") || text.contains("xox"),
                    Pattern.compile("\\b(sb_|sk-|sk_live_|sk_test_|xox[abp]-)[A-Za-z0-9_-]{12,}"), WHOLE, "$1[REDACTED]"),
            new PatternRule(text -> text.contains("AIza"), Pattern.compile("\\bAIza[0-9A-Za-z_-]{30,}"), WHOLE, "[REDACTED-KEY]"),
            // Every key of this rule is followed by ':' or '='.
            new PatternRule(text -> text.indexOf(':') >= 0 || text.indexOf('=') >= 0,
                    Pattern.compile("(?i)(\"?\\b(?:password|passwd|pwd|passphrase|secret|client[_-]?secret"
                            + "|api[_-]?key|x-api-key|token|access[_-]?token|refresh[_-]?token|id[_-]?token"
                            + "|private[_-]?key|credentials?)\"?\\s*[:=]\\s*)(\"[^\"]*\"|'[^']*'|\\[REDACTED[A-Z-]*]|[^\\s,;&}\\]]+)"),
                    WHOLE, "$1[REDACTED]"),
            new PatternRule(text -> text.indexOf('@') >= 0,
                    Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"), WHOLE, "[REDACTED-EMAIL]"),
            new PatternRule(Redactor::hasIbanStart,
                    Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\\b"), Redactor::ibanSpan,
                    "[REDACTED-IBAN]"),
            Redactor::redactCards,
            new PatternRule(text -> text.indexOf('+') >= 0, Pattern.compile("(?<![\\w+])\\+\\d[\\d ().-]{6,20}\\d(?!\\d)"),
                    match -> digitCount(match) >= 8 && digitCount(match) <= 15 ? match.length() : 0,
                    "[REDACTED-PHONE]"),
            new PatternRule(text -> true,
                    Pattern.compile("(?:\\(\\d{3}\\) ?|(?<![\\w.-])\\d{3}[ .-])\\d{3}[ .-]\\d{4}(?![\\w-])"), WHOLE,
                    "[REDACTED-PHONE]"));

    private Redactor() {
    }

    /** Returns the text with every recognised secret or personal datum masked; {@code null} stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (Rule rule : RULES) {
            result = rule.apply(result);
        }
        return result;
    }

    /** Runs of digit groups separated by single spaces or dashes, not inside words or decimals. */
    private static final Pattern DIGIT_GROUPS = Pattern.compile("(?<![\\w.])\\d+(?:[ -]\\d+)*(?![\\w])");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern UUID_SHAPE = Pattern.compile("\\d{8}-\\d{4}-\\d{4}-\\d{4}-\\d{12}");

    /**
     * Card numbers: within each run of digit groups, every window of whole groups holding 13–19 digits that
     * passes the Luhn check is masked, so a card that follows another number ("qty 1 4111 1111 1111 1111")
     * is still found.
     */
    static String redactCards(String text) {
        Matcher run = DIGIT_GROUPS.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (run.find()) {
            String digits = run.group();
            if (digits.length() < 13 || UUID_SHAPE.matcher(digits).matches()) {
                continue;
            }
            String masked = maskCardWindows(digits);
            if (!masked.equals(digits)) {
                out = out == null ? new StringBuilder(text.length()) : out;
                out.append(text, last, run.start()).append(masked);
                last = run.end();
            }
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    private static String maskCardWindows(String run) {
        Matcher group = DIGITS.matcher(run);
        List<int[]> groups = new ArrayList<>();
        while (group.find()) {
            groups.add(new int[] {group.start(), group.end()});
        }
        boolean[] secret = new boolean[groups.size()];
        for (int first = 0; first < groups.size(); first++) {
            StringBuilder window = new StringBuilder();
            for (int end = first; end < groups.size() && window.length() <= 19; end++) {
                window.append(run, groups.get(end)[0], groups.get(end)[1]);
                if (window.length() >= 13 && window.length() <= 19 && passesLuhn(window.toString())) {
                    Arrays.fill(secret, first, end + 1, true);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        int position = 0;
        for (int i = 0; i < groups.size(); i++) {
            if (!secret[i]) {
                continue;
            }
            int end = i;
            while (end + 1 < groups.size() && secret[end + 1]) {
                end++;
            }
            out.append(run, position, groups.get(i)[0]).append("[REDACTED-CARD]");
            position = groups.get(end)[1];
            i = end;
        }
        return out.append(run, position, run.length()).toString();
    }

    /**
     * The length of the longest valid IBAN at the start of the match: the pattern may have swallowed a
     * following upper-case word as a last group ("BE68 5390 0754 7034 THEN").
     */
    static int ibanSpan(String match) {
        String candidate = match;
        while (candidate.length() >= 15) {
            if (isIban(candidate)) {
                return candidate.length();
            }
            int space = candidate.lastIndexOf(' ');
            if (space < 0) {
                return 0;
            }
            candidate = candidate.substring(0, space);
        }
        return 0;
    }

    static boolean passesLuhn(String candidate) {
        String digits = candidate.replaceAll("\\D", "");
        if (digits.length() < 13 || digits.length() > 19) {
            return false;
        }
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int digit = digits.charAt(i) - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    static boolean isIban(String candidate) {
        String compact = candidate.replace(" ", "");
        if (compact.length() < 15 || compact.length() > 34) {
            return false;
        }
        String rearranged = compact.substring(4) + compact.substring(0, 4);
        StringBuilder numeric = new StringBuilder();
        for (char c : rearranged.toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    /** Whether {@code needle} (ASCII) occurs in {@code text} ignoring case, as a {@code (?i)} pattern would find it. */
    static boolean containsIgnoreCase(String text, String needle) {
        for (int i = 0, last = text.length() - needle.length(); i <= last; i++) {
            if (text.regionMatches(true, i, needle, 0, needle.length())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the text has two ASCII capitals followed by two digits, as every IBAN starts. */
    static boolean hasIbanStart(String text) {
        for (int i = 0, last = text.length() - 4; i <= last; i++) {
            if (isCapital(text.charAt(i)) && isCapital(text.charAt(i + 1)) && isAsciiDigit(text.charAt(i + 2))
                    && isAsciiDigit(text.charAt(i + 3))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCapital(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digitCount(String text) {
        return (int) text.chars().filter(Character::isDigit).count();
    }
}
