#pragma once
// A small argument reader for the nesy subcommands: positionals, --flag and --option VALUE.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace nesy::cli {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class CliArgs {
public:
    // `flags` take no value; `options` take one. Anything else starting with "--" is a usage error.
    CliArgs(const std::vector<std::string>& args, std::set<std::string> flags, std::set<std::string> options);

    const std::vector<std::string>& positionals() const { return positionals_; }
    bool flag(const std::string& name) const { return flags_.count(name) > 0; }
    std::optional<std::string> option(const std::string& name) const;
    long long integerOption(const std::string& name, long long fallback) const;
    std::string requirePositional(std::size_t index, const std::string& what) const;

private:
    std::vector<std::string> positionals_;
    std::set<std::string> flags_;
    std::map<std::string, std::string> options_;
};

} // namespace nesy::cli
