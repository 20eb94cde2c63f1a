package dev.switchboard.shared.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTests {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mail ada.lovelace+x@example.co.uk now | mail [REDACTED-EMAIL] now",
            "card 4111 1111 1111 1111 ok | card [REDACTED-CARD] ok",
            "card 4111-1111-1111-1111. | card [REDACTED-CARD].",
            "iban DE89 3704 0044 0532 0130 00 paid | iban [REDACTED-IBAN] paid",
            "iban GB82WEST12345698765432 | iban [REDACTED-IBAN]",
            "BE68 5390 0754 7034 THEN more | [REDACTED-IBAN] THEN more",
            "call +44 20 7946 0958 today | call [REDACTED-PHONE] today",
            "call (555) 123-4567 today | call [REDACTED-PHONE] today",
            "call 555-123-4567 today | call [REDACTED-PHONE] today",
            "Authorization: Bearer abcdefghijklmnop1234 | Authorization: [REDACTED]",
            "got bearer abcdefghijklmnop1234 here | got bearer [REDACTED] here",
            "key sb_4f9KQ2mXbT7pLr8Zc1Vn6Yw3 used | key sb_[REDACTED] used",
            "openai sk-proj-abcdefghijklmnopqrstuv | openai sk-[REDACTED]",
            "password=hunter2hunter2&next=1 | password=[REDACTED]&next=1",
            "GET /x?access_token=[REDACTED]&limit=[REDACTED] | GET /x?access_token=[REDACTED]&limit=[REDACTED]",
    })
    void masks(String input, String expected) {
        assertThat(Redactor.redact(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"email\":\"a@b.io\",\"password\":\"s3cr3t pass\"}",
            "token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    })
    void masksStructuredSecrets(String input) {
        String out = Redactor.redact(input);
        assertThat(out).doesNotContain("a@b.io", "s3cr3t", "eyJhbGciOiJIUzI1NiJ9");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Started Switchboard in 7.306 seconds (process running for 7.874)",
            "Request 3f0c2a4e-8c1b-4d55-9d0e-2f6b1d7e9a10 took 35 ms",
            "Request 12345678-1234-1234-1234-123456789012 done",
            "2026-11-22T00:22:25.370Z listening on port 8080 with 20 connections",
            "Migrating schema to version 12 of 2026-11-22",
            "Card 4111 1111 1111 1112 fails Luhn and stays",
            "The bearer of good news arrived",
    })
    void leavesOrdinaryTextAlone(String input) {
        assertThat(Redactor.redact(input)).isEqualTo(input);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void emptyTextStays(String input) {
        assertThat(Redactor.redact(input)).isEqualTo(input);
        assertThat(Redactor.redact(null)).isNull();
    }

    /** The cheap tests that let a rule skip a line must hold wherever its pattern could match. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "AUTHORIZATION: x | authorization | true",
            "got BeArEr abc | bearer | true",
            "GET /v1/chat/completions 200 | bearer | false",
            "ab | bearer | false",
    })
    void containsIgnoreCase(String text, String needle, boolean expected) {
        assertThat(Redactor.containsIgnoreCase(text, needle)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "iban GB82WEST | true",
            "DE89 | true",
            "De89 3704 | false",
            "POST /v1/chat/completions 200 0.7 ms | false",
    })
    void ibanStart(String text, boolean expected) {
        assertThat(Redactor.hasIbanStart(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "POST /v1/chat/completions 200 in 0.712 ms (tenant 0c6a2f1e-1d2b-4c5e-9f00-123456789abc)",
            "GET /health/live 200",
    })
    void leavesAccessLinesWithoutSecretsAlone(String line) {
        assertThat(Redactor.redact(line)).isSameAs(line);
    }
}
