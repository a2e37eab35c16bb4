package org.jparallel.cli;

import java.util.Locale;
import org.jparallel.ConsoleProgress;
import picocli.CommandLine;

/** Reads a {@code --progress} option: {@code auto}, {@code bar}, {@code plain} or {@code off}, in any case. */
public final class ProgressModeConverter implements CommandLine.ITypeConverter<ConsoleProgress.Mode> {
    @Override
    public ConsoleProgress.Mode convert(String value) {
        try {
            return ConsoleProgress.Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("expected auto, bar, plain or off, got '" + value + "'");
        }
    }
}
