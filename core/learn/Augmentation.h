#pragma once
// Training-set augmentation for worn IMUs. A device worn at another angle reads the same motion in
// turned axes; copies of the training windows turned the same way teach a model that the angle
// carries no class. Only training windows are augmented: validation and test stay as recorded.
#include "Dataset.h"
#include <Eigen/Core>
#include <cstdint>
#include <functional>

namespace nesy::learn {

// The windows followed by `copies` turned copies of each: acc (channels 0-2) and gyro (3-5) turned
// by the same rotation, one `nextTurn()` per copy of a window; further channels are copied as they
// are. Throws std::invalid_argument when the windows have fewer than the 6 IMU axes or carry
// regression targets.
Dataset withTurnedCopies(const Dataset& imu, int copies, const std::function<Eigen::Matrix3f()>& nextTurn);

// Copies turned by uniformly random angles in [-maxDegrees, maxDegrees] about the sensor's z axis,
// the axis an earbud can twist about in the ear canal (in the earable recordings, gravity's mean
// direction lies anywhere in the sensor's x-y plane from person to person). Deterministic for a seed.
Dataset withTwistedCopies(const Dataset& imu, int copies, std::uint64_t seed, double maxDegrees = 180.0);

} // namespace nesy::learn
