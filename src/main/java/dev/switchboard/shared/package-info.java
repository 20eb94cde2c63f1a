/**
 * What every module needs and no module owns: the data directory, RFC 9457 problem responses (one advice
 * for the whole application), request ids, the order of the servlet filters, HTTP body limits and the
 * redaction of personal data and secrets from logs, and the one way to connect to a destination a user configured.
 *
 * <p>The public API is this package: {@link dev.switchboard.shared.Problems}, {@link
 * dev.switchboard.shared.SwitchboardException}, {@link dev.switchboard.shared.ProblemResponder}, {@link
 * dev.switchboard.shared.RequestIds}, {@link dev.switchboard.shared.AccessLog} (who called, for the HTTP access log), {@link dev.switchboard.shared.DataDirectory}, {@link
 * dev.switchboard.shared.WebFilterOrder}, outbound connections ({@link dev.switchboard.shared.OutboundConnections}, {@link
 * dev.switchboard.shared.OutboundAddressPolicy}, {@link dev.switchboard.shared.OutboundResolver}, {@link
 * dev.switchboard.shared.OutboundRefusedException}), the retention SPI ({@link dev.switchboard.shared.RetentionTask}, {@link
 * dev.switchboard.shared.PurgeFunction}) and sealed credentials ({@link dev.switchboard.shared.SecretBox}, with the
 * re-seal SPI {@link dev.switchboard.shared.SealedSecrets} and {@link dev.switchboard.shared.SealedColumn}), and writes that
 * outlast a passing database fault ({@link dev.switchboard.shared.DurableWrites}, waiting through the {@link
 * dev.switchboard.shared.Sleeper}). Everything
 * in {@code internal} is wiring, the HTTP access log included.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Shared kernel", allowedDependencies = {})
package dev.switchboard.shared;
