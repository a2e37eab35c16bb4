package org.jparallel.core.serial;

import java.io.ObjectInputFilter.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A list of rejecting class patterns ({@code !pkg.Class}, {@code !pkg.*}, {@code !pkg.**},
 * {@code !prefix*}), matched with the JDK's pattern rules ({@code ObjectInputFilter.Config.createFilter}:
 * an array is judged by its element class, a primitive is undecided) but without the JDK's filter
 * configuration, whose set-up also sets up {@code System.Logger} on a fresh worker's start, for a
 * list that never changes.
 */
final class RejectList {
    private final List<Predicate<String>> rules;

    private RejectList(List<Predicate<String>> rules) {
        this.rules = rules;
    }

    /**
     * @param patterns rejecting patterns separated by {@code ;}
     * @return the list
     * @throws IllegalArgumentException for a pattern of another form (an allowing one, a limit, a module)
     */
    static RejectList of(String patterns) {
        List<Predicate<String>> rules = new ArrayList<>();
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
                rules.add(n -> n.startsWith(pkg));
            } else if (name.endsWith(".*")) {
                String pkg = name.substring(0, name.length() - 1); // "a.b." : that package only
                rules.add(n -> n.startsWith(pkg) && n.lastIndexOf('.') == pkg.length() - 1);
            } else if (name.endsWith("*")) {
                String prefix = name.substring(0, name.length() - 1);
                rules.add(n -> n.startsWith(prefix));
            } else {
                rules.add(name::equals);
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
        for (Predicate<String> r : rules) {
            if (r.test(name)) {
                return Status.REJECTED;
            }
        }
        return Status.UNDECIDED;
    }
}
