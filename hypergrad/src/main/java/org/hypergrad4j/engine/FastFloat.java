package org.hypergrad4j.engine;

/**
 * Vectorisable float32 transcendental loops. {@code tanh} is the [13/6] rational approximation used by
 * Eigen's {@code generic_fast_tanh_float} on {@code [−9, 9]} (max abs error 4e-7 against
 * {@link Math#tanh}; beyond ±9 tanh rounds to ±1 in float32). {@code σ(x) = ½(1 + tanh(x/2))}.
 */
final class FastFloat {
    private FastFloat() {
    }

    static void tanh(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = tanh(x[i]);
        }
    }

    static void sigmoid(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = 0.5f + 0.5f * tanh(0.5f * x[i]);
        }
    }

    static float tanh(float in) {
        float v = Math.max(-9f, Math.min(9f, in));
        float x2 = v * v;
        float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
        p = x2 * p + -8.60467152213735e-11f;
        p = x2 * p + 5.12229709037114e-08f;
        p = x2 * p + 1.48572235717979e-05f;
        p = x2 * p + 6.37261928875436e-04f;
        p = x2 * p + 4.89352455891786e-03f;
        p = v * p;
        float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
        q = x2 * q + 2.26843463243900e-03f;
        q = x2 * q + 4.89352518554385e-03f;
        return p / q;
    }
}
