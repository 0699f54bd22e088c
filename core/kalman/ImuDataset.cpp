#include "ImuDataset.h"
#include <charconv>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace nesy::kalman {

Eigen::MatrixXd readNumericCsv(const std::filesystem::path& file)
{
    std::ifstream in(file);
    if (!in) throw std::runtime_error(file.string() + ": cannot open");
    std::vector<double> values;
    std::size_t cols = 0, rows = 0;
    std::string line;
    for (std::size_t lineNo = 1; std::getline(in, line); ++lineNo) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        std::size_t count = 0, pos = 0;
        for (;;) {
            std::size_t end = line.find(',', pos);
            if (end == std::string::npos) end = line.size();
            std::size_t b = pos, e = end;
            while (b < e && line[b] == ' ') ++b;
            while (e > b && line[e - 1] == ' ') --e;
            double v = 0.0;
            auto res = std::from_chars(line.data() + b, line.data() + e, v);
            if (b == e || res.ec != std::errc() || res.ptr != line.data() + e)
                throw std::runtime_error(file.string() + ":" + std::to_string(lineNo) + ": column " +
                                         std::to_string(count + 1) + " is not a number: '" + line.substr(b, e - b) + "'");
            values.push_back(v);
            ++count;
            if (end == line.size()) break;
            pos = end + 1;
        }
        if (rows == 0) cols = count;
        else if (count != cols)
            throw std::runtime_error(file.string() + ":" + std::to_string(lineNo) + ": " + std::to_string(count) +
                                     " columns, earlier lines have " + std::to_string(cols));
        ++rows;
    }
    if (rows == 0) throw std::runtime_error(file.string() + ": no data");
    Eigen::MatrixXd m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c)
            m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = values[r * cols + c];
    return m;
}

namespace {

Eigen::MatrixXd readColumns(const std::filesystem::path& file, Eigen::Index cols)
{
    if (!std::filesystem::exists(file)) throw std::runtime_error(file.string() + ": missing (the ahrs-ekf data set)");
    Eigen::MatrixXd m = readNumericCsv(file);
    if (m.cols() != cols)
        throw std::runtime_error(file.string() + ": " + std::to_string(m.cols()) + " columns, expected " +
                                 std::to_string(cols));
    return m;
}

} // namespace

OrientationDataset loadAhrsEkfDataset(const std::filesystem::path& folder)
{
    OrientationDataset d;
    d.acc = readColumns(folder / "Acc.csv", 3);
    d.gyro = readColumns(folder / "Gyro.csv", 3);
    d.truth = readColumns(folder / "Or_GT.csv", 4);
    if (d.gyro.rows() != d.acc.rows() || d.truth.rows() != d.acc.rows())
        throw std::runtime_error(folder.string() + ": Acc.csv, Gyro.csv and Or_GT.csv have " +
                                 std::to_string(d.acc.rows()) + ", " + std::to_string(d.gyro.rows()) + " and " +
                                 std::to_string(d.truth.rows()) + " rows");
    return d;
}

} // namespace nesy::kalman
