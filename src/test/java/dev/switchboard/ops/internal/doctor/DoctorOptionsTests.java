package dev.switchboard.ops.internal.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DoctorOptionsTests {

    static final Map<String, String> ENVIRONMENT = Map.of(DoctorOptions.KEY_VARIABLE, "sb_from_env");

    @Test
    void theKeyComesFromTheEnvironmentUnlessTheCommandLineNamesOne() {
        assertThat(DoctorOptions.parse(List.of("--url", "https://sb.example.com/"), ENVIRONMENT::get).apiKey())
                .isEqualTo("sb_from_env");
        assertThat(DoctorOptions.parse(List.of("--url", "https://sb.example.com", "--api-key", "sb_given"), ENVIRONMENT::get)
                .apiKey()).isEqualTo("sb_given");
        assertThat(DoctorOptions.parse(List.of("--url", "https://sb.example.com"), name -> null).hasKey()).isFalse();
    }

    @Test
    void theUrlLosesItsTrailingSlashAndTheFlagsAreRead() {
        DoctorOptions options = DoctorOptions.parse(List.of("--url", "https://sb.example.com/base/", "--include-rate-limit",
                "--rate-limit-attempts", "70", "--json"), name -> null);
        assertThat(options.base()).hasToString("https://sb.example.com/base");
        assertThat(options.https()).isTrue();
        assertThat(options.includeRateLimit()).isTrue();
        assertThat(options.rateLimitAttempts()).isEqualTo(70);
        assertThat(options.json()).isTrue();
    }

    @Test
    void aWrongCommandLineSaysWhatIsWrong() {
        assertThatIllegalArgumentException().isThrownBy(() -> DoctorOptions.parse(List.of("--url"), name -> null))
                .withMessageContaining("--url needs a value");
        assertThatIllegalArgumentException().isThrownBy(() -> DoctorOptions.parse(List.of("--url", "http://x", "--verbose"),
                name -> null)).withMessageContaining("unknown option --verbose");
        assertThatIllegalArgumentException().isThrownBy(() -> DoctorOptions.parse(List.of("--url", "http://x",
                "--rate-limit-attempts", "0"), name -> null)).withMessageContaining("positive number");
        assertThatIllegalArgumentException().isThrownBy(() -> DoctorOptions.parse(List.of("--url", "sb.example.com"),
                name -> null)).withMessageContaining("http or https URL");
    }
}
