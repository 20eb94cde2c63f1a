package dev.switchboard.sql.internal.ask;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How questions become SQL ({@code switchboard.sql.ask}).
 *
 * @param maxCorrections how many times a model may correct a statement the guard or the database refused, given the
 *        reason: each round is one more model call
 * @param maxQuestionLength the longest question, in characters
 * @param maxTables the most tables a prompt shows when the whole schema does not fit (their foreign-key neighbours
 *        come on top)
 * @param schemaShare the share of the chain's smallest context window the schema may fill
 * @param maxAnswerTokens the most tokens the model may write for a statement and its explanation
 */
@Validated
@ConfigurationProperties("switchboard.sql.ask")
public record AskProperties(
        @Min(0) @Max(3) @DefaultValue("1") int maxCorrections,
        @Min(20) @Max(20_000) @DefaultValue("2000") int maxQuestionLength,
        @Min(1) @Max(100) @DefaultValue("15") int maxTables,
        @DecimalMin("0.1") @DecimalMax("0.8") @DefaultValue("0.5") double schemaShare,
        @Min(100) @Max(16_000) @DefaultValue("1000") int maxAnswerTokens) {
}
