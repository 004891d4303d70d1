package org.hypergrad4j.engine;

/**
 * Elementwise kernels {@code y = f(x)}, including ND4J's scalar ops ({@code x + s}, {@code s / x},
 * {@code x^p}, {@code relu(x, cutoff)}, ...). DOUBLE uses {@link Math}'s functions, so results agree
 * with ND4J's to round-off; FLOAT uses vectorisable loops and, for tanh and sigmoid, a rational
 * approximation accurate to a few float32 ulps (as Eigen and PyTorch's vectorised kernels do).
 */
final class Unary implements Kernel {
    enum Fn {
        TANH, SIGMOID, EXP, LOG, LOG1P, SQUARE, SQRT, ABS, NEG, SIN, COS, SOFTPLUS, SWISH, SIGN,
        RELU, STEP, LEAKY_RELU, ELU, ADD, SUB, RSUB, MUL, DIV, RDIV, POW, CLIP
    }

    private final Fn fn;
    private final double a;
    private final double b;

    /** @param a the scalar (or cutoff, α, lower clip bound); @param b the upper clip bound */
    Unary(Fn fn, double a, double b) {
        this.fn = fn;
        this.a = a;
        this.b = b;
    }

    @Override
    public String describe() {
        return "unary:" + fn;
    }

    @Override
    public void run(Tensor[] in, Tensor[] out) {
        Tensor x = in[0];
        Tensor y = out[0];
        if (x.isFloat() && y.isFloat()) {
            runFloat(x.f, y.f, x.length);
        } else if (x.isDouble() && y.isDouble()) {
            runDouble(x.d, y.d, x.length);
        } else {
            for (int i = 0; i < x.length; i++) {
                double v = apply(x.getDouble(i));
                if (y.isFloat()) {
                    y.f[i] = (float) v;
                } else if (y.isDouble()) {
                    y.d[i] = v;
                } else {
                    y.l[i] = (long) v;
                }
            }
        }
    }

    private void runDouble(double[] x, double[] y, int n) {
        switch (fn) {
            case SQUARE -> {
                for (int i = 0; i < n; i++) {
                    y[i] = x[i] * x[i];
                }
            }
            case NEG -> {
                for (int i = 0; i < n; i++) {
                    y[i] = -x[i];
                }
            }
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    y[i] = x[i] + a;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    y[i] = x[i] * a;
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    y[i] = apply(x[i]);
                }
            }
        }
    }

    private void runFloat(float[] x, float[] y, int n) {
        float s = (float) a;
        switch (fn) {
            case TANH -> FastFloat.tanh(x, y, n);
            case SIGMOID -> FastFloat.sigmoid(x, y, n);
            case SQUARE -> {
                for (int i = 0; i < n; i++) {
                    y[i] = x[i] * x[i];
                }
            }
            case NEG -> {
                for (int i = 0; i < n; i++) {
                    y[i] = -x[i];
                }
            }
            case ABS -> {
                for (int i = 0; i < n; i++) {
                    y[i] = Math.abs(x[i]);
                }
            }
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    y[i] = x[i] + s;
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    y[i] = x[i] - s;
                }
            }
            case RSUB -> {
                for (int i = 0; i < n; i++) {
                    y[i] = s - x[i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    y[i] = x[i] * s;
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    y[i] = x[i] / s;
                }
            }
            case RDIV -> {
                for (int i = 0; i < n; i++) {
                    y[i] = s / x[i];
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    y[i] = x[i] < s ? 0f : x[i];
                }
            }
            case STEP -> {
                for (int i = 0; i < n; i++) {
                    y[i] = x[i] > s ? 1f : 0f;
                }
            }
            case POW -> {
                if (a == 2.0) {
                    for (int i = 0; i < n; i++) {
                        y[i] = x[i] * x[i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        y[i] = (float) Math.pow(x[i], a);
                    }
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    y[i] = (float) apply(x[i]);
                }
            }
        }
    }

    private double apply(double v) {
        return switch (fn) {
            case TANH -> Math.tanh(v);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-v));
            case EXP -> Math.exp(v);
            case LOG -> Math.log(v);
            case LOG1P -> Math.log1p(v);
            case SQUARE -> v * v;
            case SQRT -> Math.sqrt(v);
            case ABS -> Math.abs(v);
            case NEG -> -v;
            case SIN -> Math.sin(v);
            case COS -> Math.cos(v);
            case SOFTPLUS -> Math.log(1.0 + Math.exp(v));
            case SWISH -> v / (1.0 + Math.exp(-v));
            case SIGN -> Math.signum(v);
            case RELU -> v < a ? 0.0 : v;
            case STEP -> v > a ? 1.0 : 0.0;
            case LEAKY_RELU -> v < 0 ? a * v : v;
            case ELU -> v >= 0 ? v : a * (Math.exp(v) - 1.0);
            case ADD -> v + a;
            case SUB -> v - a;
            case RSUB -> a - v;
            case MUL -> v * a;
            case DIV -> v / a;
            case RDIV -> a / v;
            case POW -> Math.pow(v, a);
            case CLIP -> v < a ? a : (v > b ? b : v);
        };
    }
}
