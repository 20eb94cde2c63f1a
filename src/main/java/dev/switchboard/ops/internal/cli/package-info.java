/** Operations' command-line commands, which print their results on the standard streams. */
package dev.switchboard.ops.internal.cli;
