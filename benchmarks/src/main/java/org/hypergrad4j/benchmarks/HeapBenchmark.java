package org.hypergrad4j.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hypergrad4j.autodiff.DifferentiableOps;
import org.hypergrad4j.core.ExactSecondOrderView;
import org.hypergrad4j.core.ParamVector;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Java heap over many Hessian-vector products on one graph: the used heap after garbage collection
 * every 2,000 calls of {@link ExactSecondOrderView#hessianAndMixed} on the graph engine (the direction
 * changes sign every call, so every call computes its products), and, for contrast, of plain {@code SameDiff.output} calls of the same products
 * without clearing. Usage: {@code HeapBenchmark [calls]} (default 20,000).
 */
public final class HeapBenchmark {
    private HeapBenchmark() {
    }

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Random rnd = new Random(7);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 16);
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, 4);
        SDVariable w = sd.var("W", SecondOrderBenchmark.gaussian(rnd, 0.25, 16, 4));
        SDVariable lam = sd.var("lambda", SecondOrderBenchmark.gaussian(rnd, 0.1, 16, 4).subi(3));
        SDVariable loss = DifferentiableOps.softmaxCrossEntropy(sd, sd.math.tanh(x.mmul(w)), y)
                .add(sd.math.exp(lam).mul(sd.math.square(w)).sum());
        loss.rename("loss");
        ExactSecondOrderView view = ExactSecondOrderView.build(sd, "loss", List.of("W"), List.of("lambda"));
        Map<String, INDArray> feed = new HashMap<>();
        feed.put("x", SecondOrderBenchmark.gaussian(rnd, 1.0, 32, 16));
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 32, 4);
        for (int i = 0; i < 32; i++) {
            labels.putScalar(i, i % 4, 1.0);
        }
        feed.put("y", labels);
        ParamVector v = view.weights().dup();

        System.out.println("| calls | used heap, ExactSecondOrderView on the engine (MB) | used heap, SameDiff.output without clearing (MB) |");
        System.out.println("|---|---|---|");
        Map<String, INDArray> rawFeed = new HashMap<>(feed);
        rawFeed.put(view.directionPlaceholder("W").name(), v.get("W"));
        String hv = view.hessianVectorVariable("W").orElseThrow().name();
        for (int done = 0; done <= calls; done += 2_000) {
            System.out.printf("| %d | %.1f | %s |%n", done, usedMb(), "");
            for (int i = 0; i < 2_000 && done < calls; i++) {
                v.scaleInPlace(-1.0);
                view.hessianAndMixed(v, feed);
            }
        }
        sd.getSessions().clear();
        double base = usedMb();
        for (int done = 0; done <= calls; done += 2_000) {
            System.out.printf("| %d | | %.1f |%n", done, usedMb() - base);
            for (int i = 0; i < 2_000 && done < calls; i++) {
                sd.output(rawFeed, hv);
            }
        }
    }

    private static double usedMb() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0);
    }
}
