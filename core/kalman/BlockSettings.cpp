#include "BlockSettings.h"
#include "graph/JsonReader.h"

namespace nesy::kalman {

OrientationEkfSettings orientationEkfSettingsFromParams(const Json& params, const std::string& blockId)
{
    const JsonReader r = JsonReader::object(params, blockId);
    OrientationEkfSettings s;
    s.accNoise = r.optNumber("acc_noise", s.accNoise);
    s.gyroNoise = r.optNumber("gyro_noise", s.gyroNoise);
    if (!(s.accNoise > 0)) r.at("acc_noise").fail("must be positive");
    if (!(s.gyroNoise > 0)) r.at("gyro_noise").fail("must be positive");
    return s;
}

LinearKalmanSettings linearKalmanSettingsFromParams(const Json& params, const std::string& blockId)
{
    const JsonReader r = JsonReader::object(params, blockId);
    LinearKalmanSettings s;
    s.processNoise = r.optNumber("process_noise", s.processNoise);
    s.measurementSigmaM = r.optNumber("measurement_noise", s.measurementSigmaM);
    if (!(s.processNoise > 0)) r.at("process_noise").fail("must be positive");
    if (!(s.measurementSigmaM > 0)) r.at("measurement_noise").fail("must be positive");
    return s;
}

GpsInsEkfSettings gpsInsEkfSettingsFromParams(const Json& params, const std::string& blockId)
{
    const JsonReader r = JsonReader::object(params, blockId);
    GpsInsEkfSettings s;
    s.unmodelledAcceleration = r.optNumber("unmodelled_acceleration", s.unmodelledAcceleration);
    s.gpsSigmaM = r.optNumber("gps_sigma_m", s.gpsSigmaM);
    return s;
}

NeuralKalmanSettings neuralKalmanSettingsFromParams(const Json& params, const std::string& blockId)
{
    const JsonReader r = JsonReader::object(params, blockId);
    NeuralKalmanSettings s;
    s.windowSamples = r.optInteger("window", s.windowSamples);
    s.gpsSigmaM = r.optNumber("gps_sigma_m", s.gpsSigmaM);
    return s;
}

} // namespace nesy::kalman
