// hypergrad4j jshell start-up: imports the API and defines a demo problem on the bundled digits.
import org.hypergrad4j.autodiff.*;
import org.hypergrad4j.core.*;
import org.hypergrad4j.solvers.*;
import org.hypergrad4j.hypergrad.*;
import org.hypergrad4j.bilevel.*;
import org.hypergrad4j.bilevel.hyper.*;
import org.hypergrad4j.bilevel.model.*;
import org.hypergrad4j.bilevel.optim.*;
import org.hypergrad4j.bilevel.problem.*;
import org.hypergrad4j.bilevel.train.*;
import org.hypergrad4j.hypernets.stn.*;
import org.hypergrad4j.hypernets.hypernet.*;
import org.hypergrad4j.data.*;
import org.hypergrad4j.experiments.data.*;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

Split digitsSplit = Splits.standardised(BundledDatasets.digits(), 0.5, 0.25, 0.25, 42);
Dataset train = digitsSplit.train();
Dataset validation = digitsSplit.validation();
Dataset test = digitsSplit.test();

/** Softmax regression on the digits with one weight decay per weight, ready to run. */
Hpo demo() {
    return Hpo.on(train, validation).test(test).tune(WeightDecay.perWeight(-4));
}

System.out.println("hypergrad4j: train, validation and test (digits) and demo() are defined. Try:");
System.out.println("  var r = demo().hyperSteps(20).printProgress().run();");
System.out.println("  r.test().accuracy()");
