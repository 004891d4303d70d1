package org.hypergrad4j.solvers;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.hypergrad4j.core.DenseCurvature;
import org.hypergrad4j.core.ParamVector;

/**
 * Exact solve for small problems: assembles {@code A} densely (float64, EJML) from {@code n} products
 * with unit vectors, symmetrises it, and solves by Cholesky; if {@code A} is not positive definite,
 * by LU; if it is singular, by the pseudo-inverse. The diagnosis names the factorisation used.
 */
public final class DenseSolve implements LinearSolver {

    @Override
    public SolveResult solve(LinearOperator a, ParamVector b, ParamVector initialGuess) {
        DMatrixRMaj m = DenseCurvature.symmetricFromProducts(b, a::apply);
        int size = m.numRows;
        DMatrixRMaj rhs = new DMatrixRMaj(size, 1, true, b.toDoubleArray());
        DMatrixRMaj x = new DMatrixRMaj(size, 1);
        String method = "Cholesky";
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(size);
        if (!solver.setA(m.copy()) || !solved(solver, rhs, x)) {
            method = "LU (matrix not positive definite)";
            solver = LinearSolverFactory_DDRM.lu(size);
            if (!solver.setA(m.copy()) || !solved(solver, rhs, x) || solver.quality() < 1e-14) {
                method = "pseudo-inverse (matrix singular)";
                DMatrixRMaj pinv = new DMatrixRMaj(size, size);
                CommonOps_DDRM.pinv(m, pinv);
                CommonOps_DDRM.mult(pinv, rhs, x);
            }
        }
        DMatrixRMaj residual = new DMatrixRMaj(size, 1);
        CommonOps_DDRM.mult(m, x, residual);
        CommonOps_DDRM.subtractEquals(residual, rhs);
        double res = CommonOps_DDRM.elementMaxAbs(residual) == 0 ? 0 : Math.sqrt(CommonOps_DDRM.dot(residual, residual));
        return new SolveResult(b.withValues(x.getData()), 1, size, res, true, "dense " + method + " of a " + size + " × " + size + " matrix");
    }

    private static boolean solved(LinearSolverDense<DMatrixRMaj> solver, DMatrixRMaj rhs, DMatrixRMaj x) {
        solver.solve(rhs, x);
        for (double d : x.getData()) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String describe() {
        return "Dense(Cholesky/LU/pseudo-inverse)";
    }
}
