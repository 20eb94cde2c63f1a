package dev.switchboard.shared.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated secrets, embedded anywhere in generated prose, never survive redaction; generated prose without
 * secrets comes out unchanged.
 */
class RedactorPropertyTests {

    @Property(tries = 300)
    void emailsNeverSurvive(@ForAll("prose") String before, @ForAll("emails") String email, @ForAll("prose") String after) {
        assertThat(Redactor.redact(before + " " + email + " " + after)).doesNotContain(email);
    }

    @Property(tries = 300)
    void cardNumbersNeverSurvive(@ForAll("prose") String before, @ForAll("cards") String card, @ForAll("prose") String after) {
        String out = Redactor.redact(before + " " + card + " " + after);
        assertThat(out).doesNotContain(card);
        assertThat(out.replaceAll("[ -]", "")).doesNotContain(card.replaceAll("[ -]", ""));
    }

    @Property(tries = 300)
    void ibansNeverSurvive(@ForAll("prose") String before, @ForAll("ibans") String iban, @ForAll("prose") String after) {
        assertThat(Redactor.redact(before + " " + iban + " " + after)).doesNotContain(iban.replace(" ", "").substring(4));
    }

    @Property(tries = 300)
    void phoneNumbersNeverSurvive(@ForAll("prose") String before, @ForAll("phones") String phone, @ForAll("prose") String after) {
        assertThat(Redactor.redact(before + " " + phone + " " + after)).doesNotContain(phone);
    }

    @Property(tries = 300)
    void tokensAndKeysNeverSurvive(@ForAll("prose") String before, @ForAll("tokens") String token, @ForAll("prose") String after) {
        String out = Redactor.redact(before + " " + token + " " + after);
        String secret = token.substring(token.lastIndexOf(' ') + 1);
        assertThat(out).doesNotContain(secret.length() > 12 ? secret.substring(3) : secret);
    }

    @Property(tries = 300)
    void passwordFieldsNeverSurvive(@ForAll("prose") String before, @ForAll("passwordFields") List<String> field,
            @ForAll("prose") String after) {
        String out = Redactor.redact(before + " " + field.get(0) + " " + after);
        assertThat(out).doesNotContain(field.get(1));
    }

    @Property(tries = 500)
    void proseIsLeftAlone(@ForAll("prose") String text) {
        assertThat(Redactor.redact(text)).isEqualTo(text);
    }

    /** Words, capitalised or not, with small numbers never two in a row, and light punctuation. */
    @Provide
    Arbitrary<String> prose() {
        Arbitrary<String> word = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> capitalised = word.map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1));
        Arbitrary<String> number = Arbitraries.integers().between(0, 999).map(String::valueOf);
        Arbitrary<String> punctuation = Arbitraries.of(".", ",", ";", "!", "?", "(", ")", "-", "'");
        Arbitrary<String> phrase = Combinators.combine(Arbitraries.oneOf(word, capitalised),
                Arbitraries.oneOf(word, number, punctuation, Arbitraries.just(""))).as((a, b) -> a + " " + b);
        return phrase.list().ofMinSize(0).ofMaxSize(12).map(parts -> String.join(" ", parts).strip());
    }

    @Provide
    Arbitrary<String> emails() {
        Arbitrary<String> local = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('.', '_', '+', '-')
                .ofMinLength(1).ofMaxLength(20).filter(s -> Character.isLetterOrDigit(s.charAt(0)));
        Arbitrary<String> domain = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(15);
        Arbitrary<String> tld = Arbitraries.of("com", "org", "io", "de", "co.uk", "example");
        return Combinators.combine(local, domain, tld).as((l, d, t) -> l + "@" + d + "." + t);
    }

    @Provide
    Arbitrary<String> cards() {
        Arbitrary<String> body = Arbitraries.strings().numeric().ofLength(15)
                .map(s -> "4" + s.substring(1));
        Arbitrary<String> separator = Arbitraries.of("", " ", "-");
        return Combinators.combine(body, separator).as((digits, sep) -> {
            String full = digits + luhnDigit(digits);
            return full.substring(0, 4) + sep + full.substring(4, 8) + sep + full.substring(8, 12) + sep
                    + full.substring(12);
        });
    }

    @Provide
    Arbitrary<String> ibans() {
        Arbitrary<String> country = Arbitraries.of("DE", "FR", "GB", "NL", "ES", "IT", "BE", "CH");
        Arbitrary<String> bban = Arbitraries.strings().numeric().withCharRange('A', 'Z').ofMinLength(12).ofMaxLength(26);
        Arbitrary<Boolean> grouped = Arbitraries.of(true, false);
        return Combinators.combine(country, bban, grouped).as((c, b, g) -> {
            String iban = c + checkDigits(c, b) + b;
            return g ? iban.replaceAll("(.{4})(?!$)", "$1 ") : iban;
        });
    }

    @Provide
    Arbitrary<String> phones() {
        Arbitrary<String> international = Combinators.combine(
                Arbitraries.integers().between(1, 99),
                Arbitraries.strings().numeric().ofMinLength(3).ofMaxLength(4),
                Arbitraries.strings().numeric().ofMinLength(3).ofMaxLength(4),
                Arbitraries.strings().numeric().ofMinLength(3).ofMaxLength(4),
                Arbitraries.of(" ", "-", ""))
                .as((cc, a, b, d, sep) -> "+" + cc + sep + a + sep + b + sep + d);
        Arbitrary<String> northAmerican = Combinators.combine(
                Arbitraries.strings().numeric().ofLength(3),
                Arbitraries.strings().numeric().ofLength(3),
                Arbitraries.strings().numeric().ofLength(4),
                Arbitraries.of(true, false))
                .as((area, exchange, line, parens) -> parens ? "(" + area + ") " + exchange + "-" + line
                        : area + "-" + exchange + "-" + line);
        return Arbitraries.oneOf(international, northAmerican);
    }

    @Provide
    Arbitrary<String> tokens() {
        Arbitrary<String> base62 = Arbitraries.strings().alpha().numeric().ofMinLength(32).ofMaxLength(48);
        Arbitrary<String> segment = Arbitraries.strings().alpha().numeric().withChars('-', '_').ofMinLength(8).ofMaxLength(40);
        Arbitrary<String> jwt = Combinators.combine(segment, segment, segment)
                .as((h, p, s) -> "eyJ" + h + ".eyJ" + p + "." + s);
        Arbitrary<String> apiKey = base62.map(key -> "sb_" + key);
        Arbitrary<String> bearer = Combinators.combine(Arbitraries.of("Bearer", "bearer", "Authorization: Bearer"),
                base62).as((word, token) -> word + " " + token);
        return Arbitraries.oneOf(jwt, apiKey, bearer);
    }

    /** A field as it appears in a log line, and the secret value inside it. */
    @Provide
    Arbitrary<List<String>> passwordFields() {
        Arbitrary<String> key = Arbitraries.of("password", "Password", "passwd", "secret", "client_secret", "api_key",
                "apiKey", "token", "refresh_token");
        Arbitrary<String> value = Arbitraries.strings().alpha().numeric().withChars('!', '#', '$', '%', '^', '*', '(', ')', '_', '+', '-')
                .ofMinLength(6).ofMaxLength(30).map(v -> "7X" + v);
        Arbitrary<Integer> style = Arbitraries.integers().between(0, 3);
        return Combinators.combine(key, value, style).as((k, v, s) -> switch (s) {
            case 0 -> List.of(k + "=" + v, v);
            case 1 -> List.of(k + ": " + v, v);
            case 2 -> List.of("\"" + k + "\":\"" + v + "\"", v);
            default -> List.of(k + "='" + v + "'", v);
        });
    }

    private static int luhnDigit(String digits) {
        for (int check = 0; check < 10; check++) {
            if (Redactor.passesLuhn(digits + check)) {
                return check;
            }
        }
        throw new IllegalStateException("no Luhn digit");
    }

    private static String checkDigits(String country, String bban) {
        StringBuilder numeric = new StringBuilder();
        for (char c : (bban + country + "00").toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        int check = 98 - new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue();
        return check < 10 ? "0" + check : String.valueOf(check);
    }
}
