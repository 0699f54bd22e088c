#pragma once
// Gaussian-process regression on Eigen with a Matern 5/2 ARD kernel:
//   k(x, x') = s2 * (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r),  r^2 = sum_d (x_d - x'_d)^2 / l_d^2,
// plus noise n2 on the diagonal. Hyperparameters live on a log scale, theta = [log l_1..l_D, log s2,
// log n2], and are fitted by maximising the log marginal likelihood of standardised targets from
// several starts within bounds (projected L-BFGS with analytic gradients).
#include <Eigen/Dense>
#include <random>
#include <vector>

namespace nesy {

struct GpHyper {
    Eigen::VectorXd logLengths; // per dimension
    double logSignal = 0;       // log s2
    double logNoise = -6;       // log n2

    int size() const { return int(logLengths.size()) + 2; }
    Eigen::VectorXd packed() const;
    static GpHyper unpack(const Eigen::VectorXd& theta, int dims);
};

struct GpFitSettings {
    int starts = 3;          // random starts besides the previous optimum (warm start)
    int iterations = 40;     // L-BFGS iterations per start
    double minLength = 0.01, maxLength = 20;     // in encoded units ([0,1] per dimension)
    double minSignal = 0.05, maxSignal = 20;     // standardised targets have variance 1
    double minNoise = 1e-6, maxNoise = 0.5;
};

// Matern 5/2 covariance between the rows of A and B (no noise).
Eigen::MatrixXd maternKernel(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, const GpHyper& h);

// Log marginal likelihood of standardised targets y at X, and its gradient with respect to
// GpHyper::packed() when `gradient` is not null. Returns -inf when no Cholesky factor exists.
double logMarginalLikelihood(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const GpHyper& h,
                             Eigen::VectorXd* gradient = nullptr);

class GaussianProcess {
public:
    // Fits hyperparameters (starting from `warm` when given) and conditions on the data.
    void fit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::mt19937_64& rng,
             const GpFitSettings& settings = {}, const GpHyper* warm = nullptr);
    // Conditions on the data with fixed hyperparameters (no fitting).
    void condition(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const GpHyper& h);

    // Posterior mean and latent standard deviation (noise excluded) in the targets' own units.
    void predict(const Eigen::MatrixXd& Xs, Eigen::VectorXd& mean, Eigen::VectorXd& sd) const;

    const GpHyper& hyper() const { return hyper_; }
    int observations() const { return int(X_.rows()); }
    double jitterUsed() const { return jitter_; }

private:
    Eigen::MatrixXd X_;
    Eigen::VectorXd alpha_;
    Eigen::MatrixXd L_; // lower Cholesky factor of K + (n2 + jitter) I
    GpHyper hyper_;
    double yMean_ = 0, yScale_ = 1;
    double jitter_ = 0;
};

// Lower Cholesky factor of K, adding jitter (1e-10 .. 1e-2 times the mean diagonal) until it
// succeeds; returns false if even the largest jitter fails. `jitter` receives the amount added.
bool choleskyWithJitter(const Eigen::MatrixXd& K, Eigen::MatrixXd& L, double& jitter);

} // namespace nesy
