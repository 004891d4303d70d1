package org.hypergrad4j.repro;

/** Whether a reproduction's measurements support the paper's claim: from the checks of its {@link Report}. */
public enum Verdict {
    /** Every check holds. */
    REPRODUCED("reproduced"),
    /** Some checks hold and some do not. */
    PARTLY("partly reproduced"),
    /** No check holds. */
    NOT_REPRODUCED("not reproduced");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
