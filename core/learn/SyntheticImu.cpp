// A small physical model of a head-worn IMU, so projects run without external data.
// Body frame: x points down along the spine (an upright wearer's accelerometer reads (-1, 0, 0) g,
// like the earable data), y to the left, z forward. Each simulated person has a slightly different
// mounting (a fixed rotation), gait frequency, movement amplitude, sensor noise and gyro bias.
#include "Loaders.h"
#include <array>
#include <cmath>
#include <random>

namespace nesy::learn {

namespace {

constexpr double kPi = 3.14159265358979323846;
using Vec3 = std::array<double, 3>;

struct Person {
    std::array<Vec3, 3> mount; // rotation body -> sensor
    double walkHz, runHz, jumpHz;
    double amplitude;
    double accNoise, gyroNoise;
    Vec3 gyroBias;
    double sitPitchDeg, liePitchDeg;
    double phase[6];
};

std::array<Vec3, 3> rotation(double roll, double pitch, double yaw)
{
    const double cr = std::cos(roll), sr = std::sin(roll), cp = std::cos(pitch), sp = std::sin(pitch);
    const double cy = std::cos(yaw), sy = std::sin(yaw);
    return {{{cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr},
             {sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr},
             {-sp, cp * sr, cp * cr}}};
}

Vec3 rotate(const std::array<Vec3, 3>& r, const Vec3& v)
{
    return {r[0][0] * v[0] + r[0][1] * v[1] + r[0][2] * v[2], r[1][0] * v[0] + r[1][1] * v[1] + r[1][2] * v[2],
            r[2][0] * v[0] + r[2][1] * v[1] + r[2][2] * v[2]};
}

// Accelerometer reading of gravity when the head is pitched forward by `pitchDeg`.
Vec3 gravityAtPitch(double pitchDeg)
{
    const double p = pitchDeg * kPi / 180.0;
    return {-std::cos(p), 0.0, std::sin(p)};
}

double smoothstep(double u) { return u <= 0 ? 0 : u >= 1 ? 1 : u * u * (3 - 2 * u); }
double smoothstepRate(double u) { return u <= 0 || u >= 1 ? 0 : 6 * u * (1 - u); }

enum Activity { Standing, Sitting, Lying, Walking, Running, Jumping, Falling, ActivityCount };
const char* const kActivityNames[ActivityCount] = {"standing", "sitting", "lying",  "walking",
                                                   "running",  "jumping", "falling"};

// Body-frame specific force (g) and angular rate (deg/s) of a person doing `a` at time t.
void bodyMotion(const Person& p, Activity a, double t, double episodeStart, const double* episode, Vec3& acc, Vec3& gyro)
{
    const double A = p.amplitude * (1.0 + 0.1 * std::sin(2 * kPi * 0.07 * t + p.phase[0]));
    const double sway = std::sin(2 * kPi * 0.3 * t + p.phase[1]);
    acc = gravityAtPitch(1.5 * sway);
    gyro = {0.0, 1.5 * 2 * kPi * 0.3 * std::cos(2 * kPi * 0.3 * t + p.phase[1]), 0.0};
    switch (a) {
    case Standing:
        break;
    case Sitting:
        acc = gravityAtPitch(p.sitPitchDeg + 3 * sway);
        gyro[1] *= 2;
        gyro[2] = 4 * std::sin(2 * kPi * 0.15 * t + p.phase[2]); // looking around
        break;
    case Lying:
        acc = gravityAtPitch(p.liePitchDeg + 2 * sway);
        gyro[2] = 1.0 * std::sin(2 * kPi * 0.25 * t); // breathing
        break;
    case Walking:
    case Running: {
        const bool run = a == Running;
        const double f = run ? p.runHz : p.walkHz;
        const double w = 2 * kPi * f * t;
        const double vertical = A * (run ? 0.75 * std::sin(w) + 0.35 * std::sin(2 * w + p.phase[3])
                                         : 0.22 * std::sin(w) + 0.08 * std::sin(2 * w + p.phase[3]));
        acc = {-1.0 - vertical, A * (run ? 0.25 : 0.1) * std::sin(w / 2 + p.phase[4]),
               A * (run ? 0.3 : 0.1) * std::sin(w + p.phase[5])};
        const double g = run ? 3.0 : 1.0;
        gyro = {g * 8 * std::sin(w / 2), g * 12 * std::sin(w + p.phase[3]), g * 15 * std::sin(w / 2 + p.phase[4])};
        break;
    }
    case Jumping: {
        const double u = std::fmod(t * p.jumpHz + p.phase[0], 1.0);
        const double flight = 0.4;
        if (u < flight) {
            acc = {0.0, 0.0, 0.0}; // free fall: the accelerometer reads no specific force
        } else {
            const double s = (u - flight) / (1 - flight); // stance phase
            const double landing = 3.0 * A * std::exp(-std::pow((s - 0.08) / 0.05, 2));
            const double pushOff = 0.9 * A * std::exp(-std::pow((s - 0.8) / 0.12, 2));
            acc = gravityAtPitch(4 * std::sin(2 * kPi * s));
            for (double& v : acc)
                v *= 1.0 + landing + pushOff + 0.3;
        }
        gyro = {10 * std::sin(2 * kPi * p.jumpHz * t), 25 * std::sin(2 * kPi * p.jumpHz * t + p.phase[2]), 6 * sway};
        break;
    }
    case Falling: {
        // episode = {stand, fall, lie, getUp} durations: stand, topple with falling specific force,
        // impact, lie still, get back up.
        const double s = t - episodeStart;
        const double stand = episode[0], fall = episode[1], lie = episode[2], getUp = episode[3];
        double pitch = 0, pitchRate = 0, force = 1.0;
        if (s < stand) {
            pitch = 0;
        } else if (s < stand + fall) {
            const double u = (s - stand) / fall;
            pitch = p.liePitchDeg * smoothstep(u);
            pitchRate = p.liePitchDeg * smoothstepRate(u) / fall;
            force = 1.0 - 0.8 * std::sin(kPi * u); // the body accelerates downwards: less specific force
        } else if (s < stand + fall + lie) {
            const double since = s - stand - fall;
            pitch = p.liePitchDeg;
            force = 1.0 + 4.0 * A * std::exp(-std::pow(since / 0.04, 2)) + 0.8 * std::exp(-since / 0.15) *
                                                                          std::sin(2 * kPi * 8 * since);
        } else {
            const double u = std::min(1.0, (s - stand - fall - lie) / getUp);
            pitch = p.liePitchDeg * (1 - smoothstep(u));
            pitchRate = -p.liePitchDeg * smoothstepRate(u) / getUp;
            force = 1.0 + 0.3 * std::sin(kPi * u);
        }
        acc = gravityAtPitch(pitch);
        for (double& v : acc)
            v *= force;
        gyro = {20 * std::sin(kPi * std::min(1.0, s / (stand + fall))), pitchRate, 0.3 * pitchRate * std::sin(p.phase[1])};
        break;
    }
    default:
        break;
    }
}

} // namespace

RecordingSet generateSyntheticImu(const SyntheticImuOptions& o)
{
    RecordingSet set;
    for (const char* n : kActivityNames)
        set.classNames.push_back(n);
    set.channelNames = {"acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z"};
    set.sampleRateHz = o.rateHz;
    std::mt19937_64 rng(o.seed);
    std::uniform_real_distribution<double> uni(0.0, 1.0);
    auto between = [&](double lo, double hi) { return lo + (hi - lo) * uni(rng); };
    std::normal_distribution<double> gauss(0.0, 1.0);
    const int samples = std::max(1, int(std::lround(o.secondsPerActivity * o.rateHz)));

    for (int subject = 1; subject <= o.subjects; ++subject) {
        Person p;
        const double deg = kPi / 180.0;
        p.mount = rotation(between(-12, 12) * deg, between(-12, 12) * deg, between(-20, 20) * deg);
        p.walkHz = between(1.6, 2.1);
        p.runHz = between(2.5, 3.1);
        p.jumpHz = between(1.4, 2.1);
        p.amplitude = between(0.75, 1.25);
        p.accNoise = between(0.01, 0.04);
        p.gyroNoise = between(0.5, 2.5);
        p.gyroBias = {between(-1.5, 1.5), between(-1.5, 1.5), between(-1.5, 1.5)};
        p.sitPitchDeg = between(12, 30);
        p.liePitchDeg = between(70, 95);
        for (double& ph : p.phase)
            ph = between(0, 2 * kPi);

        for (int a = 0; a < ActivityCount; ++a) {
            Recording r;
            r.subject = subject;
            r.label = a;
            r.length = samples;
            r.samples.resize(std::size_t(samples) * 6);
            double episodeStart = 0, episode[4] = {1, 0.5, 1.5, 1};
            auto newEpisode = [&](double start) {
                episodeStart = start;
                episode[0] = between(0.3, 0.9);
                episode[1] = between(0.35, 0.7);
                episode[2] = between(0.8, 1.6);
                episode[3] = between(0.6, 1.0);
            };
            newEpisode(0.0);
            for (int i = 0; i < samples; ++i) {
                const double t = i / o.rateHz;
                if (a == Falling && t - episodeStart > episode[0] + episode[1] + episode[2] + episode[3])
                    newEpisode(t);
                Vec3 acc, gyro;
                bodyMotion(p, Activity(a), t, episodeStart, episode, acc, gyro);
                acc = rotate(p.mount, acc);
                gyro = rotate(p.mount, gyro);
                for (int c = 0; c < 3; ++c) {
                    r.samples[std::size_t(i) * 6 + c] = float(acc[c] + p.accNoise * gauss(rng));
                    r.samples[std::size_t(i) * 6 + 3 + c] = float(gyro[c] + p.gyroBias[c] + p.gyroNoise * gauss(rng));
                }
            }
            set.recordings.push_back(std::move(r));
        }
    }
    return set;
}

} // namespace nesy::learn
