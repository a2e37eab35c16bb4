package org.jparallel.core.serial;

import java.io.ObjectInputFilter.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of rejecting class patterns ({@code !pkg.Class}, {@code !pkg.*}, {@code !pkg.**},
 * {@code !prefix*}), matched with the JDK's pattern rules ({@code ObjectInputFilter.Config.createFilter}:
 * an array is judged by its element class, a primitive is undecided) but without the JDK's filter
 * configuration, whose set-up also sets up {@code System.Logger} on a fresh worker's start, for a
 * list that never changes.
 */
final class RejectList {
    private final List<Rule> rules;

    private RejectList(List<Rule> rules) {
        this.rules = rules;
    }

    /**
     * @param patterns rejecting patterns separated by {@code ;}
     * @return the list
     * @throws IllegalArgumentException for a pattern of another form (an allowing one, a limit, a module)
     */
    static RejectList of(String patterns) {
        List<Rule> rules = new ArrayList<>();
        for (String p : patterns.split(";")) {
            p = p.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (!p.startsWith("!") || p.contains("/") || p.contains("=") || p.length() < 2) {
                throw new IllegalArgumentException("not a rejecting class pattern: " + p);
            }
            String name = p.substring(1);
            if (name.endsWith(".**")) {
                String pkg = name.substring(0, name.length() - 2); // "a.b." : the package and those below
                rules.add(new Rule(Rule.Kind.PACKAGE_AND_BELOW, pkg));
            } else if (name.endsWith(".*")) {
                String pkg = name.substring(0, name.length() - 1); // "a.b." : that package only
                rules.add(new Rule(Rule.Kind.PACKAGE, pkg));
            } else if (name.endsWith("*")) {
                String prefix = name.substring(0, name.length() - 1);
                rules.add(new Rule(Rule.Kind.PREFIX, prefix));
            } else {
                rules.add(new Rule(Rule.Kind.CLASS, name));
            }
        }
        return new RejectList(List.copyOf(rules));
    }

    /** @return {@code REJECTED} when a pattern matches the class (an array's element class), else {@code UNDECIDED} */
    Status verdict(Class<?> type) {
        Class<?> c = type;
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c.isPrimitive()) {
            return Status.UNDECIDED;
        }
        String name = c.getName();
        for (Rule r : rules) {
            if (r.matches(name)) {
                return Status.REJECTED;
            }
        }
        return Status.UNDECIDED;
    }

    /**
     * One pattern: a class, not a lambda, since a fresh worker reads its list at the WELCOME, on its path to the first
     * result, where each lambda's first call site costs a bootstrap (a quarter of a millisecond, interpreted).
     */
    private static final class Rule {
        enum Kind { CLASS, PACKAGE, PACKAGE_AND_BELOW, PREFIX }

        private final Kind kind;
        /** The class name, the package with its final dot, or the prefix. */
        private final String text;

        Rule(Kind kind, String text) {
            this.kind = kind;
            this.text = text;
        }

        boolean matches(String name) {
            return switch (kind) {
                case CLASS -> name.equals(text);
                case PACKAGE -> name.startsWith(text) && name.lastIndexOf('.') == text.length() - 1;
                case PACKAGE_AND_BELOW, PREFIX -> name.startsWith(text);
            };
        }
    }
}
