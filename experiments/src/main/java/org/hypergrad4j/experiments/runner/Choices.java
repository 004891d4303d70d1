package org.hypergrad4j.experiments.runner;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import org.hypergrad4j.bilevel.hyper.WeightDecay;
import org.hypergrad4j.bilevel.model.Mlp;

/**
 * The choices of the experiments, as enums: typed in the configurations and on the command line, written to
 * {@code config.json} by their labels ({@code "per-weight"}, {@code "fashion-mnist"}), and parsed with one message
 * naming the allowed values.
 */
public final class Choices {
    private Choices() {
    }

    /** A choice with the label the command line and the run files use. */
    public interface Labelled {
        String label();
    }

    /**
     * The constant of {@code type} labelled {@code text}.
     *
     * @param what what is chosen, for the message ("data set", "solver", …)
     * @throws IllegalArgumentException naming the allowed labels
     */
    public static <E extends Enum<E> & Labelled> E parse(Class<E> type, String what, String text) {
        for (E e : type.getEnumConstants()) {
            if (e.label().equals(text)) {
                return e;
            }
        }
        throw new IllegalArgumentException("Unknown " + what + " '" + text + "'; use " + labels(type) + ".");
    }

    /** The labels of {@code type}, comma-separated, the last after "or". */
    public static <E extends Enum<E> & Labelled> String labels(Class<E> type) {
        String[] l = Arrays.stream(type.getEnumConstants()).map(Labelled::label).toArray(String[]::new);
        return l.length == 1 ? l[0] : String.join(", ", Arrays.copyOf(l, l.length - 1)) + " or " + l[l.length - 1];
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The data sets of the weight-decay and decay-search experiments. */
    public enum DataSet implements Labelled {
        DIGITS, BREAST_CANCER, WINE, IRIS, FASHION_MNIST;

        @JsonValue
        @Override
        public String label() {
            return lower(this);
        }

        @JsonCreator
        public static DataSet of(String text) {
            return parse(DataSet.class, "data set", text);
        }
    }

    /** Where weight decay applies: one for all weights, one per layer, one per weight. */
    public enum Scope implements Labelled {
        GLOBAL, PER_LAYER, PER_WEIGHT;

        @JsonValue
        @Override
        public String label() {
            return lower(this);
        }

        @JsonCreator
        public static Scope of(String text) {
            return parse(Scope.class, "decay scope", text);
        }

        /** The bilevel module's scope. */
        public WeightDecay.Scope scope() {
            return WeightDecay.Scope.valueOf(name());
        }
    }

    /** The linear solver of the implicit hypergradient. */
    public enum Solver implements Labelled {
        CG, NEUMANN, FIXED_POINT, IDENTITY, EXACT;

        @JsonValue
        @Override
        public String label() {
            return lower(this);
        }

        @JsonCreator
        public static Solver of(String text) {
            return parse(Solver.class, "solver", text);
        }

        /** Whether the solver runs iterations ({@code --iterations}), and needs at least one. */
        public boolean iterative() {
            return this == CG || this == FIXED_POINT;
        }

        /** Whether {@code --iterations} means anything for this solver. */
        public boolean takesIterations() {
            return this != IDENTITY && this != EXACT;
        }
    }

    /** The black-box search of the decay-search baseline. */
    public enum Search implements Labelled {
        GRID, RANDOM;

        @JsonValue
        @Override
        public String label() {
            return lower(this);
        }

        @JsonCreator
        public static Search of(String text) {
            return parse(Search.class, "search", text);
        }
    }

    /** The hidden activation of an MLP. */
    public enum Activation implements Labelled {
        RELU, TANH, SIGMOID;

        @JsonValue
        @Override
        public String label() {
            return lower(this);
        }

        @JsonCreator
        public static Activation of(String text) {
            return parse(Activation.class, "activation", text);
        }

        /** The bilevel module's activation. */
        public Mlp.Activation activation() {
            return Mlp.Activation.valueOf(name());
        }
    }
}
