package org.hypergrad4j.repro;

import java.nio.file.Path;
import org.hypergrad4j.experiments.data.FashionMnist;

/** A reproduction on Fashion-MNIST (Debian package {@code dataset-fashion-mnist}): it says so and checks the files first. */
public interface FashionMnistReproduction extends Reproduction {
    @Override
    default String needs() {
        return "Fashion-MNIST";
    }

    /** Reads one test image: the files are there and readable (or the loader's one-sentence reason is thrown). */
    @Override
    default void checkAvailable(Path dataDir) {
        FashionMnist.load(dataDir == null ? FashionMnist.directory() : dataDir, FashionMnist.Part.TEST, 1);
    }
}
