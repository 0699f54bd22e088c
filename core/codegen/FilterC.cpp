#include "FilterC.h"
#include "codegen/CSource.h"
#include <sstream>

namespace nesy::codegen {

namespace {

// Shared by every filter: matrix products, symmetrisation and the Joseph-form measurement update
// (core/kalman/Gaussian.cpp), with the innovation covariance solved by Cholesky.
const char* kMatrixKernels = R"C(
/* c = a b with a [r x k], b [k x q], row-major. */
static void nesy_mm(const double *a, const double *b, double *c, int r, int k, int q)
{
    int i, j, l;
    for (i = 0; i < r; ++i)
        for (j = 0; j < q; ++j) {
            double s = 0.0;
            for (l = 0; l < k; ++l)
                s += a[i * k + l] * b[l * q + j];
            c[i * q + j] = s;
        }
}

/* c = a b^T with a [r x k], b [q x k]. */
static void nesy_mmt(const double *a, const double *b, double *c, int r, int k, int q)
{
    int i, j, l;
    for (i = 0; i < r; ++i)
        for (j = 0; j < q; ++j) {
            double s = 0.0;
            for (l = 0; l < k; ++l)
                s += a[i * k + l] * b[j * k + l];
            c[i * q + j] = s;
        }
}

/* P = (P + P^T) / 2: keeps P symmetric over long runs. */
static void nesy_symmetrise(double *p)
{
    int i, j;
    for (i = 0; i < N; ++i)
        for (j = i + 1; j < N; ++j) {
            double s = 0.5 * (p[i * N + j] + p[j * N + i]);
            p[i * N + j] = s;
            p[j * N + i] = s;
        }
}

/* Corrects x, P with the innovation y of a measurement with Jacobian H [M x N] and noise R.
 * Returns 0 when the innovation covariance is not positive definite (the update is skipped). */
static int nesy_update(const double *y, const double *H, const double *R)
{
    double PHt[N * M], S[M * M], L[M * M], K[N * M], IKH[N * N], T[N * N], KR[N * M], KRK[N * N];
    int i, j, l;
    nesy_mmt(nesy_P, H, PHt, N, N, M);
    nesy_mm(H, PHt, S, M, N, M);
    for (i = 0; i < M * M; ++i)
        S[i] += R[i];
    for (j = 0; j < M; ++j)
        for (i = j; i < M; ++i) {
            double s = S[i * M + j];
            for (l = 0; l < j; ++l)
                s -= L[i * M + l] * L[j * M + l];
            if (i == j) {
                if (!(s > 0.0))
                    return 0;
                L[j * M + j] = sqrt(s);
            } else {
                L[i * M + j] = s / L[j * M + j];
            }
        }
    /* K = P H^T S^-1, one state row at a time: S k^T = (P H^T)^T row. */
    for (l = 0; l < N; ++l) {
        double z[M];
        for (i = 0; i < M; ++i) {
            double s = PHt[l * M + i];
            for (j = 0; j < i; ++j)
                s -= L[i * M + j] * z[j];
            z[i] = s / L[i * M + i];
        }
        for (i = M - 1; i >= 0; --i) {
            double s = z[i];
            for (j = i + 1; j < M; ++j)
                s -= L[j * M + i] * K[l * M + j];
            K[l * M + i] = s / L[i * M + i];
        }
    }
    for (i = 0; i < N; ++i)
        for (j = 0; j < M; ++j)
            nesy_x[i] += K[i * M + j] * y[j];
    nesy_mm(K, H, IKH, N, M, N);
    for (i = 0; i < N * N; ++i)
        IKH[i] = (i % (N + 1) == 0 ? 1.0 : 0.0) - IKH[i];
    nesy_mm(IKH, nesy_P, T, N, N, N);
    nesy_mmt(T, IKH, nesy_P, N, N, N);
    nesy_mm(K, R, KR, N, M, M);
    nesy_mmt(KR, K, KRK, N, M, N);
    for (i = 0; i < N * N; ++i)
        nesy_P[i] += KRK[i];
    nesy_symmetrise(nesy_P);
    return 1;
}

/* P = F P F^T (+ the caller adds the noise). */
static void nesy_propagate(const double *F)
{
    double T[N * N];
    nesy_mm(F, nesy_P, T, N, N, N);
    nesy_mmt(T, F, nesy_P, N, N, N);
}
)C";

const char* kOrientationStep = R"C(
/* The orientation EKF (core/kalman/OrientationEkf.cpp): q = (w, x, y, z), body to world, z up. */
static void nesy_renormalise(void)
{
    double n = sqrt(nesy_x[0] * nesy_x[0] + nesy_x[1] * nesy_x[1] + nesy_x[2] * nesy_x[2] + nesy_x[3] * nesy_x[3]);
    double u[4], J[16], T[16];
    int i, j;
    for (i = 0; i < 4; ++i)
        u[i] = nesy_x[i] / n;
    for (i = 0; i < 4; ++i)
        for (j = 0; j < 4; ++j)
            J[i * 4 + j] = ((i == j ? 1.0 : 0.0) - u[i] * u[j]) / n;
    for (i = 0; i < 4; ++i)
        nesy_x[i] = u[i];
    nesy_mm(J, nesy_P, T, 4, 4, 4);
    nesy_mmt(T, J, nesy_P, 4, 4, 4);
    for (i = 0; i < 4; ++i)
        for (j = 0; j < 4; ++j)
            nesy_P[i * 4 + j] += 1e-10 * u[i] * u[j]; /* the unobservable norm keeps a small variance */
    nesy_symmetrise(nesy_P);
}

static void nesy_predict(const double *g)
{
    const double wn = sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]), angle = wn * NESY_DT;
    const double om[16] = {0, -g[0], -g[1], -g[2], g[0], 0, g[2], -g[1], g[1], -g[2], 0, g[0], g[2], g[1], -g[0], 0};
    const double w = nesy_x[0], x = nesy_x[1], y = nesy_x[2], z = nesy_x[3];
    const double rate[12] = {-x, -y, -z, w, -z, y, z, w, -x, -y, x, w};
    double F[16], W[12], WWt[16], q[4];
    int i, j;
    for (i = 0; i < 4; ++i)
        for (j = 0; j < 4; ++j) {
            const double id = i == j ? 1.0 : 0.0;
            F[i * 4 + j] = angle < 1e-12 ? id + 0.5 * NESY_DT * om[i * 4 + j]
                                         : cos(angle / 2) * id + sin(angle / 2) / wn * om[i * 4 + j];
        }
    for (i = 0; i < 12; ++i)
        W[i] = 0.5 * NESY_DT * rate[i];
    nesy_mm(F, nesy_x, q, 4, 4, 1);
    for (i = 0; i < 4; ++i)
        nesy_x[i] = q[i];
    nesy_propagate(F);
    nesy_mmt(W, W, WWt, 4, 3, 4);
    for (i = 0; i < 16; ++i)
        nesy_P[i] += NESY_GYRO_NOISE * NESY_GYRO_NOISE * WWt[i];
    nesy_renormalise();
}

static void nesy_correct(const double *a)
{
    const double norm = sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    const double w = nesy_x[0], x = nesy_x[1], y = nesy_x[2], z = nesy_x[3];
    const double H[12] = {-2 * y, 2 * z, -2 * w, 2 * x, 2 * x, 2 * w, 2 * z, 2 * y, 2 * w, -2 * x, -2 * y, 2 * z};
    const double r2 = NESY_ACC_NOISE * NESY_ACC_NOISE;
    const double R[9] = {r2, 0, 0, 0, r2, 0, 0, 0, r2};
    double innovation[3];
    if (!(norm > 0.0) || !isfinite(norm))
        return; /* free fall or a dropped sample: nothing to correct with */
    innovation[0] = a[0] / norm - 2 * (x * z - w * y);
    innovation[1] = a[1] / norm - 2 * (y * z + w * x);
    innovation[2] = a[2] / norm - (w * w - x * x - y * y + z * z);
    if (nesy_update(innovation, H, R))
        nesy_renormalise();
}

static void nesy_step(const float *input)
{
    double g[3], a[3];
    int i;
    for (i = 0; i < 3; ++i) {
        g[i] = input[i];
        a[i] = input[3 + i];
    }
    nesy_predict(g);
    nesy_correct(a);
}
)C";

const char* kLinearStep = R"C(
/* Linear Kalman filter (core/kalman/LinearKalman.cpp): predict with F, Q, update with z. */
static void nesy_step(const float *input)
{
    double x[N], Hx[M], y[M];
    int i;
    nesy_mm(nesy_F, nesy_x, x, N, N, 1);
    for (i = 0; i < N; ++i)
        nesy_x[i] = x[i];
    nesy_propagate(nesy_F);
    for (i = 0; i < N * N; ++i)
        nesy_P[i] += nesy_Q[i];
    nesy_symmetrise(nesy_P);
    nesy_mm(nesy_H, nesy_x, Hx, M, N, 1);
    for (i = 0; i < M; ++i)
        y[i] = (double)input[i] - Hx[i];
    nesy_update(y, nesy_H, nesy_R);
}
)C";

const char* kNeuralStep = R"C(
/* The neural-Kalman step (core/kalman/NeuralKalman.cpp): x = A x + g(u),
 * P = A P A^T + B diag(U) B^T + Qm, then the update when the input carries a measurement. */
static void nesy_step(const float *input)
{
    double u[NESY_NET_INPUTS], g[N], B[N * NESY_NET_INPUTS], x[N], Hx[M], y[M];
    int i, j, k;
    for (i = 0; i < NESY_NET_INPUTS; ++i)
        u[i] = input[i];
    nesy_network(u, g, B);
    nesy_mm(nesy_F, nesy_x, x, N, N, 1);
    for (i = 0; i < N; ++i)
        nesy_x[i] = x[i] + g[i];
    nesy_propagate(nesy_F);
    for (i = 0; i < N; ++i)
        for (j = 0; j < N; ++j) {
            double s = 0.0;
            for (k = 0; k < NESY_NET_INPUTS; ++k)
                s += B[i * NESY_NET_INPUTS + k] * nesy_in_var[k] * B[j * NESY_NET_INPUTS + k];
            nesy_P[i * N + j] += s + nesy_Q[i * N + j];
        }
    nesy_symmetrise(nesy_P);
    if (input[NESY_NET_INPUTS + M] != 0.0f) {
        nesy_mm(nesy_H, nesy_x, Hx, M, N, 1);
        for (i = 0; i < M; ++i)
            y[i] = (double)input[NESY_NET_INPUTS + i] - Hx[i];
        nesy_update(y, nesy_H, nesy_R);
    }
}
)C";

const char* kBodyVelocityStep = R"C(
/* The ground robot's neural-Kalman step (core/kalman/NeuralKalman.cpp, BodyVelocityProcess): the
 * window's per-channel mean and variance feed the velocity network; its body velocity (forward,
 * left), rotated by the heading psi, is g = [dt v ; v] (A = diag(1, 1, 0, 0) in nesy_F). B = dg/du
 * by the chain rule through the rotation, the network and the window features. */
static void nesy_step(const float *input)
{
    double feat[2 * NESY_CH], v[2], Jn[2 * 2 * NESY_CH], RJ[2 * 2 * NESY_CH];
    double S[4], g[N], x[N], Hx[M], y[M], vw[2], t, hv;
    const double psi = input[NESY_WIN], c = cos(psi), s = sin(psi), scale[4] = {NESY_DT, NESY_DT, 1.0, 1.0};
    int i, j, k, ch;
    for (ch = 0; ch < NESY_CH; ++ch) {
        double mean = 0.0, var = 0.0;
        for (k = 0; k < NESY_SAMPLES; ++k)
            mean += input[k * NESY_CH + ch];
        mean /= NESY_SAMPLES;
        for (k = 0; k < NESY_SAMPLES; ++k) {
            const double d = input[k * NESY_CH + ch] - mean;
            var += d * d;
        }
        feat[ch] = mean;
        feat[NESY_CH + ch] = var / NESY_SAMPLES;
    }
    nesy_network(feat, v, Jn);
    for (j = 0; j < 2 * NESY_CH; ++j) {
        RJ[j] = c * Jn[j] - s * Jn[2 * NESY_CH + j];
        RJ[2 * NESY_CH + j] = s * Jn[j] + c * Jn[2 * NESY_CH + j];
    }
    /* S = Bv diag(U) Bv^T with Bv = d(world velocity)/du, one input at a time (Bv is never stored:
     * 16 bytes of stack per input saved): each window value through its channel's mean and
     * variance, the heading through the rotation, whose variance grows with the integrated gyro's
     * drift (at the window's middle sample). */
    S[0] = S[1] = S[3] = 0.0;
    for (k = 0; k < NESY_SAMPLES; ++k)
        for (ch = 0; ch < NESY_CH; ++ch) {
            const double d = 2.0 * (input[k * NESY_CH + ch] - feat[ch]) / NESY_SAMPLES, U = nesy_in_var[ch];
            const double b0 = RJ[ch] / NESY_SAMPLES + RJ[NESY_CH + ch] * d;
            const double b1 = RJ[2 * NESY_CH + ch] / NESY_SAMPLES + RJ[3 * NESY_CH + ch] * d;
            S[0] += b0 * U * b0;
            S[1] += b0 * U * b1;
            S[3] += b1 * U * b1;
        }
    t = (double)(nesy_steps * NESY_SAMPLES + NESY_SAMPLES / 2) / NESY_RATE;
    hv = NESY_HEADING_WHITE * NESY_HEADING_WHITE * t + (NESY_HEADING_TURN_ON * t) * (NESY_HEADING_TURN_ON * t) +
         NESY_HEADING_WALK * NESY_HEADING_WALK * t * t * t / 3.0;
    {
        const double b0 = -s * v[0] - c * v[1], b1 = c * v[0] - s * v[1];
        S[0] += b0 * hv * b0;
        S[1] += b0 * hv * b1;
        S[3] += b1 * hv * b1;
    }
    S[2] = S[1];
    vw[0] = c * v[0] - s * v[1];
    vw[1] = s * v[0] + c * v[1];
    g[0] = NESY_DT * vw[0];
    g[1] = NESY_DT * vw[1];
    g[2] = vw[0];
    g[3] = vw[1];
    nesy_mm(nesy_F, nesy_x, x, N, N, 1);
    for (i = 0; i < N; ++i)
        nesy_x[i] = x[i] + g[i];
    nesy_propagate(nesy_F);
    for (i = 0; i < N; ++i)
        for (j = 0; j < N; ++j)
            nesy_P[i * N + j] += scale[i] * scale[j] * S[(i % 2) * 2 + j % 2] + nesy_Q[i * N + j];
    nesy_symmetrise(nesy_P);
    if (input[NESY_WIN + 1 + M] != 0.0f) {
        nesy_mm(nesy_H, nesy_x, Hx, M, N, 1);
        for (i = 0; i < M; ++i)
            y[i] = (double)input[NESY_WIN + 1 + i] - Hx[i];
        nesy_update(y, nesy_H, nesy_R);
    }
    ++nesy_steps;
}
)C";

const char* kGpsInsStep = R"C(
/* The GPS/INS EKF (core/kalman/GroundRobotFilters.cpp, GpsInsEkfModel): the unicycle state
 * [x, y, speed, heading] advanced by one IMU sample of forward acceleration and yaw rate (the
 * Jacobian at the state before the step), then the GPS fix when the input carries one. */
static void nesy_step(const float *input)
{
    const double a = input[0], w = input[1], v = nesy_x[2], c = cos(nesy_x[3]), s = sin(nesy_x[3]);
    double F[N * N], Hx[M], y[M];
    int i;
    for (i = 0; i < N * N; ++i)
        F[i] = i % (N + 1) == 0 ? 1.0 : 0.0;
    F[2] = c * NESY_DT;
    F[3] = -v * s * NESY_DT;
    F[N + 2] = s * NESY_DT;
    F[N + 3] = v * c * NESY_DT;
    nesy_x[0] += v * c * NESY_DT;
    nesy_x[1] += v * s * NESY_DT;
    nesy_x[2] += a * NESY_DT;
    nesy_x[3] += w * NESY_DT;
    nesy_propagate(F);
    for (i = 0; i < N * N; ++i)
        nesy_P[i] += nesy_Q[i];
    nesy_symmetrise(nesy_P);
    if (input[2 + M] != 0.0f) {
        nesy_mm(nesy_H, nesy_x, Hx, M, N, 1);
        for (i = 0; i < M; ++i)
            y[i] = (double)input[2 + i] - Hx[i];
        nesy_update(y, nesy_H, nesy_R);
    }
}
)C";

// The neural step's network: float forward pass, keeping each layer's output for the Jacobian.
void emitNetwork(std::ostream& c, const FilterIR& f)
{
    const auto& layers = f.network.layers;
    c << "#define NESY_NET_INPUTS " << f.network.input.size() << "\n#define NESY_NET_OUTPUTS " << f.network.outputs
      << "\n#define NESY_NET_LAYERS " << layers.size() << "\n#define NESY_NET_WIDTH " << f.networkWidth() << "\n";
    emitFloats(c, "nesy_in_mean", f.inputMean);
    emitFloats(c, "nesy_in_stddev", f.inputStddev);
    emitDoubles(c, "nesy_in_var", f.inputVariances);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        emitFloats(c, "nesy_w" + std::to_string(i), layers[i].weights);
        emitFloats(c, "nesy_b" + std::to_string(i), layers[i].bias);
    }
    c << "static const float *const nesy_w[NESY_NET_LAYERS] = {";
    for (std::size_t i = 0; i < layers.size(); ++i)
        c << (i ? ", " : "") << "nesy_w" << i;
    c << "};\nstatic const float *const nesy_b[NESY_NET_LAYERS] = {";
    for (std::size_t i = 0; i < layers.size(); ++i)
        c << (i ? ", " : "") << "nesy_b" << i;
    c << "};\nstatic const int nesy_width[NESY_NET_LAYERS + 1] = {" << f.network.input.size();
    for (const auto& l : layers)
        c << ", " << l.out.size();
    c << "};\nstatic const int nesy_relu[NESY_NET_LAYERS] = {";
    for (std::size_t i = 0; i < layers.size(); ++i)
        c << (i ? ", " : "") << int(layers[i].activation == learn::Activation::ReLU);
    c << "};\n";
    c << R"C(
/* The process network g(u) = MLP((u - mean) / stddev) in float32, and its input Jacobian
 * B = dg/du by backpropagating a unit gradient per output (core/learn/MlpProcessNetwork.cpp). */
static void nesy_network(const double *u, double *g, double *B)
{
    float act[NESY_NET_LAYERS + 1][NESY_NET_WIDTH], grad[NESY_NET_WIDTH], back[NESY_NET_WIDTH];
    int l, i, o, j;
    for (i = 0; i < NESY_NET_INPUTS; ++i)
        act[0][i] = (float)((u[i] - nesy_in_mean[i]) / nesy_in_stddev[i]);
    for (l = 0; l < NESY_NET_LAYERS; ++l)
        for (o = 0; o < nesy_width[l + 1]; ++o) {
            float s = nesy_b[l][o];
            for (i = 0; i < nesy_width[l]; ++i)
                s += nesy_w[l][o * nesy_width[l] + i] * act[l][i];
            act[l + 1][o] = nesy_relu[l] && s < 0.0f ? 0.0f : s;
        }
    for (o = 0; o < NESY_NET_OUTPUTS; ++o) {
        g[o] = act[NESY_NET_LAYERS][o];
        for (i = 0; i < NESY_NET_OUTPUTS; ++i)
            grad[i] = i == o ? 1.0f : 0.0f;
        for (l = NESY_NET_LAYERS - 1; l >= 0; --l) {
            for (j = 0; j < nesy_width[l + 1]; ++j)
                if (nesy_relu[l] && !(act[l + 1][j] > 0.0f))
                    grad[j] = 0.0f;
            for (i = 0; i < nesy_width[l]; ++i) {
                float s = 0.0f;
                for (j = 0; j < nesy_width[l + 1]; ++j)
                    s += nesy_w[l][j * nesy_width[l] + i] * grad[j];
                back[i] = s;
            }
            for (i = 0; i < nesy_width[l]; ++i)
                grad[i] = back[i];
        }
        for (i = 0; i < NESY_NET_INPUTS; ++i)
            B[o * NESY_NET_INPUTS + i] = (double)grad[i] / nesy_in_stddev[i];
    }
}
)C";
}

} // namespace

GeneratedProgram generateFilterC(const FilterIR& f)
{
    f.validate();
    GeneratedProgram g; // no arena: the state is static, the step's temporaries are on the stack
    std::ostringstream h;
    h << "/* Generated by NeSy Workbench: filter \"" << f.name << "\" (" << filterKindName(f.kind)
      << "). Portable C99, static memory only. */\n"
      << "#ifndef NESY_PROGRAM_H\n#define NESY_PROGRAM_H\n\n"
      << "#define NESY_PROGRAM_INPUT_SIZE " << f.inputSize() << "\n"
      << "#define NESY_PROGRAM_OUTPUT_SIZE " << f.outputSize() << "\n"
      << "#define NESY_PROGRAM_ARENA_BYTES 0\n"
      << "#define NESY_PROGRAM_STATE_BYTES " << f.stateBytes() << "\n\n"
      << "/* One filter step: input[NESY_PROGRAM_INPUT_SIZE] to the new state output[NESY_PROGRAM_OUTPUT_SIZE].\n"
      << " * The state lives in static memory (not reentrant); the first call starts from the initial state. */\n"
      << "void nesy_program_run(const float *input, float *output);\n"
      << "/* Back to the initial state. */\nvoid nesy_program_reset(void);\n\n#endif\n";
    g.sources["nesy_program.h"] = h.str();

    std::ostringstream c;
    c << "/* Generated by NeSy Workbench: filter \"" << f.name << "\" (" << filterKindName(f.kind) << ", "
      << f.stateSize << " states, " << f.constantBytes() << " bytes of constants). Filter arithmetic in double. */\n"
      << "#include \"nesy_program.h\"\n#include <math.h>\n#include <string.h>\n\n"
      << "#define N " << f.stateSize << "\n#define M " << f.measurementSize << "\n";
    const bool bodyVelocity = f.kind == FilterKind::BodyVelocityKalman;
    if (f.kind == FilterKind::OrientationEkf || f.kind == FilterKind::GpsInsEkf || bodyVelocity)
        c << "#define NESY_DT " << doubleLiteral(f.dt) << "\n";
    if (f.kind == FilterKind::OrientationEkf)
        c << "#define NESY_ACC_NOISE " << doubleLiteral(f.accNoise) << "\n#define NESY_GYRO_NOISE "
          << doubleLiteral(f.gyroNoise) << "\n";
    if (bodyVelocity)
        c << "#define NESY_SAMPLES " << f.windowSamples << "\n#define NESY_CH " << f.windowChannels
          << "\n#define NESY_WIN (NESY_SAMPLES * NESY_CH)\n#define NESY_RATE " << doubleLiteral(f.sampleRateHz)
          << "\n#define NESY_HEADING_WHITE " << doubleLiteral(f.headingNoise.whiteNoiseDensity)
          << "\n#define NESY_HEADING_TURN_ON " << doubleLiteral(f.headingNoise.turnOnBias)
          << "\n#define NESY_HEADING_WALK " << doubleLiteral(f.headingNoise.biasRandomWalk) << "\n";
    emitDoubles(c, "nesy_x0", f.x0);
    emitDoubles(c, "nesy_P0", f.P0);
    if (f.kind != FilterKind::OrientationEkf) {
        if (f.kind != FilterKind::GpsInsEkf) // the EKF's Jacobian is computed per step
            emitDoubles(c, "nesy_F", f.F);
        emitDoubles(c, "nesy_Q", f.Q);
        emitDoubles(c, "nesy_H", f.H);
        emitDoubles(c, "nesy_R", f.R);
    }
    c << "\n/* The filter's state. */\nstatic double nesy_x[N];\nstatic double nesy_P[N * N];\nstatic int nesy_ready;\n";
    if (bodyVelocity)
        c << "static int nesy_steps; /* windows since the reset: the heading's drift grows with time */\n";
    c << kMatrixKernels;
    switch (f.kind) {
    case FilterKind::OrientationEkf: c << kOrientationStep; break;
    case FilterKind::Linear: c << kLinearStep; break;
    case FilterKind::GpsInsEkf: c << kGpsInsStep; break;
    case FilterKind::NeuralKalman: emitNetwork(c, f); c << kNeuralStep; break;
    case FilterKind::BodyVelocityKalman: emitNetwork(c, f); c << kBodyVelocityStep; break;
    }
    c << R"C(
void nesy_program_reset(void)
{
    memcpy(nesy_x, nesy_x0, sizeof nesy_x);
    memcpy(nesy_P, nesy_P0, sizeof nesy_P);
    nesy_ready = 1;
)C" << (bodyVelocity ? "    nesy_steps = 0;\n" : "") << R"C(}

void nesy_program_run(const float *input, float *output)
{
    int i;
    if (!nesy_ready)
        nesy_program_reset();
    nesy_step(input);
    for (i = 0; i < N; ++i)
        output[i] = (float)nesy_x[i];
}
)C";
    g.sources["nesy_program.c"] = c.str();
    return g;
}

} // namespace nesy::codegen
