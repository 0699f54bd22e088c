#pragma once
// The Kalman blocks' parameters (as stored in a project, after the trial's values are applied)
// turned into this library's settings. Missing parameters take the catalogue's defaults; a value
// of the wrong type throws FormatError naming "<block id>.<param>".
#include "GroundRobotFilters.h"
#include "OrientationEkf.h"
#include "graph/Value.h"

namespace nesy::kalman {

OrientationEkfSettings orientationEkfSettingsFromParams(const Json& params, const std::string& blockId);
LinearKalmanSettings linearKalmanSettingsFromParams(const Json& params, const std::string& blockId);
GpsInsEkfSettings gpsInsEkfSettingsFromParams(const Json& params, const std::string& blockId);
NeuralKalmanSettings neuralKalmanSettingsFromParams(const Json& params, const std::string& blockId);

} // namespace nesy::kalman
