#include "GaussianProcess.h"
#include "BoundedMinimizer.h"
#include <cmath>
#include <limits>

namespace nesy {

namespace {

const double kSqrt5 = std::sqrt(5.0);

Eigen::MatrixXd scaled(const Eigen::MatrixXd& X, const GpHyper& h)
{
    Eigen::VectorXd inv = (-h.logLengths.array()).exp();
    return X * inv.asDiagonal();
}

Eigen::MatrixXd distances(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B)
{
    Eigen::VectorXd a2 = A.rowwise().squaredNorm(), b2 = B.rowwise().squaredNorm();
    Eigen::MatrixXd d2 = (-2.0 * A * B.transpose()).colwise() + a2;
    d2.rowwise() += b2.transpose();
    return d2.cwiseMax(0.0).cwiseSqrt();
}

// Matern 5/2 correlation from distances.
Eigen::MatrixXd matern(const Eigen::MatrixXd& R)
{
    return ((1.0 + kSqrt5 * R.array() + (5.0 / 3.0) * R.array().square()) * (-kSqrt5 * R.array()).exp()).matrix();
}

} // namespace

Eigen::VectorXd GpHyper::packed() const
{
    Eigen::VectorXd t(size());
    t << logLengths, logSignal, logNoise;
    return t;
}

GpHyper GpHyper::unpack(const Eigen::VectorXd& theta, int dims)
{
    GpHyper h;
    h.logLengths = theta.head(dims);
    h.logSignal = theta[dims];
    h.logNoise = theta[dims + 1];
    return h;
}

Eigen::MatrixXd maternKernel(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, const GpHyper& h)
{
    return std::exp(h.logSignal) * matern(distances(scaled(A, h), scaled(B, h)));
}

bool choleskyWithJitter(const Eigen::MatrixXd& K, Eigen::MatrixXd& L, double& jitter)
{
    const Eigen::Index n = K.rows();
    double meanDiag = n ? K.diagonal().mean() : 1.0;
    jitter = 0;
    for (double scale = 0; scale <= 1e-2; scale = scale == 0 ? 1e-10 : scale * 10) {
        jitter = scale * meanDiag;
        Eigen::LLT<Eigen::MatrixXd> llt(K + jitter * Eigen::MatrixXd::Identity(n, n));
        if (llt.info() == Eigen::Success && llt.matrixLLT().diagonal().allFinite() &&
            (llt.matrixLLT().diagonal().array() > 0).all()) {
            L = llt.matrixL();
            return true;
        }
    }
    return false;
}

double logMarginalLikelihood(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const GpHyper& h,
                             Eigen::VectorXd* gradient)
{
    const Eigen::Index n = X.rows();
    const int dims = int(X.cols());
    const double s2 = std::exp(h.logSignal), n2 = std::exp(h.logNoise);
    Eigen::MatrixXd Xs = scaled(X, h);
    Eigen::MatrixXd R = distances(Xs, Xs);
    Eigen::MatrixXd E = (-kSqrt5 * R.array()).exp().matrix();
    Eigen::MatrixXd Kf = s2 * ((1.0 + kSqrt5 * R.array() + (5.0 / 3.0) * R.array().square()) * E.array()).matrix();
    Eigen::MatrixXd K = Kf;
    K.diagonal().array() += n2;
    Eigen::LLT<Eigen::MatrixXd> llt(K);
    if (llt.info() != Eigen::Success)
        return -std::numeric_limits<double>::infinity();
    Eigen::VectorXd alpha = llt.solve(y);
    double logDet = 2 * llt.matrixLLT().diagonal().array().log().sum();
    double lml = -0.5 * y.dot(alpha) - 0.5 * logDet - 0.5 * double(n) * std::log(2 * M_PI);
    if (!std::isfinite(lml))
        return -std::numeric_limits<double>::infinity();
    if (gradient) {
        // d lml / d theta_j = 1/2 tr((alpha alpha^T - K^-1) dK/dtheta_j)
        Eigen::MatrixXd W = alpha * alpha.transpose() - llt.solve(Eigen::MatrixXd::Identity(n, n));
        // dK/dlog l_d = s2 5/3 (1 + sqrt5 r) exp(-sqrt5 r) (x_d - x'_d)^2 / l_d^2
        Eigen::MatrixXd P = (W.array() * (s2 * (5.0 / 3.0) * (1.0 + kSqrt5 * R.array()) * E.array())).matrix();
        Eigen::VectorXd rowSums = P.rowwise().sum();
        gradient->resize(dims + 2);
        for (int d = 0; d < dims; ++d) {
            Eigen::VectorXd u = Xs.col(d);
            // sum_ij P_ij (u_i - u_j)^2 for symmetric P
            double s = 2 * (rowSums.array() * u.array().square()).sum() - 2 * u.dot(P * u);
            (*gradient)[d] = 0.5 * s;
        }
        (*gradient)[dims] = 0.5 * (W.array() * Kf.array()).sum();
        (*gradient)[dims + 1] = 0.5 * n2 * W.trace();
    }
    return lml;
}

void GaussianProcess::condition(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const GpHyper& h)
{
    X_ = X;
    hyper_ = h;
    yMean_ = y.size() ? y.mean() : 0.0;
    double var = y.size() > 1 ? (y.array() - yMean_).square().sum() / double(y.size()) : 0.0;
    yScale_ = var > 1e-24 ? std::sqrt(var) : 1.0;
    Eigen::VectorXd ys = (y.array() - yMean_) / yScale_;
    Eigen::MatrixXd K = maternKernel(X, X, h);
    K.diagonal().array() += std::exp(h.logNoise);
    if (!choleskyWithJitter(K, L_, jitter_))
        throw std::runtime_error("the Gaussian process covariance is not positive definite even with jitter");
    alpha_ = L_.transpose().triangularView<Eigen::Upper>().solve(L_.triangularView<Eigen::Lower>().solve(ys));
}

void GaussianProcess::fit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::mt19937_64& rng,
                          const GpFitSettings& s, const GpHyper* warm)
{
    const int dims = int(X.cols());
    double mean = y.mean();
    double var = (y.array() - mean).square().sum() / double(y.size());
    double scale = var > 1e-24 ? std::sqrt(var) : 1.0;
    Eigen::VectorXd ys = (y.array() - mean) / scale;

    Eigen::VectorXd lo(dims + 2), hi(dims + 2);
    lo.head(dims).setConstant(std::log(s.minLength));
    hi.head(dims).setConstant(std::log(s.maxLength));
    lo[dims] = std::log(s.minSignal);
    hi[dims] = std::log(s.maxSignal);
    lo[dims + 1] = std::log(s.minNoise);
    hi[dims + 1] = std::log(s.maxNoise);

    auto negLml = [&](const Eigen::VectorXd& theta, Eigen::VectorXd& g) {
        double v = logMarginalLikelihood(X, ys, GpHyper::unpack(theta, dims), &g);
        g = -g;
        return -v;
    };
    std::vector<Eigen::VectorXd> starts;
    if (warm && warm->logLengths.size() == dims)
        starts.push_back(warm->packed());
    GpHyper neutral;
    neutral.logLengths = Eigen::VectorXd::Constant(dims, std::log(0.3));
    neutral.logSignal = 0;
    neutral.logNoise = std::log(1e-3);
    starts.push_back(neutral.packed());
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int i = 0; i < s.starts; ++i) {
        Eigen::VectorXd t(dims + 2);
        for (int j = 0; j < dims + 2; ++j)
            t[j] = lo[j] + unit(rng) * (hi[j] - lo[j]);
        t[dims + 1] = std::min(t[dims + 1], std::log(1e-2)); // start nearly noiseless: the usual case
        starts.push_back(t);
    }
    MinimizeResult best;
    best.value = std::numeric_limits<double>::infinity();
    best.x = neutral.packed();
    for (const auto& start : starts) {
        auto r = minimizeInBox(negLml, start, lo, hi, s.iterations);
        if (r.value < best.value)
            best = r;
    }
    condition(X, y, GpHyper::unpack(best.x, dims));
}

void GaussianProcess::predict(const Eigen::MatrixXd& Xs, Eigen::VectorXd& mean, Eigen::VectorXd& sd) const
{
    const Eigen::Index m = Xs.rows();
    mean.resize(m);
    sd.resize(m);
    const double s2 = std::exp(hyper_.logSignal);
    const Eigen::Index chunk = 4096; // bounds memory for very large Monte Carlo samples
    for (Eigen::Index start = 0; start < m; start += chunk) {
        Eigen::Index rows = std::min(chunk, m - start);
        Eigen::MatrixXd Ks = maternKernel(Xs.middleRows(start, rows), X_, hyper_);
        mean.segment(start, rows) = (Ks * alpha_).array() * yScale_ + yMean_;
        Eigen::MatrixXd V = L_.triangularView<Eigen::Lower>().solve(Ks.transpose());
        sd.segment(start, rows) =
            ((s2 - V.colwise().squaredNorm().transpose().array()).max(1e-12)).sqrt() * yScale_;
    }
}

} // namespace nesy
