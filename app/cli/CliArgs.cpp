#include "CliArgs.h"

namespace nesy::cli {

CliArgs::CliArgs(const std::vector<std::string>& args, std::set<std::string> flags, std::set<std::string> options)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) != 0 || a == "--") {
            positionals_.push_back(a);
            continue;
        }
        std::string name = a.substr(2);
        std::optional<std::string> inlineValue;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (flags.count(name) && !inlineValue) {
            flags_.insert(name);
        } else if (options.count(name)) {
            if (inlineValue) {
                options_[name] = *inlineValue;
            } else {
                if (i + 1 >= args.size())
                    throw UsageError("option --" + name + " needs a value");
                options_[name] = args[++i];
            }
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

std::optional<std::string> CliArgs::option(const std::string& name) const
{
    auto it = options_.find(name);
    if (it == options_.end())
        return std::nullopt;
    return it->second;
}

long long CliArgs::integerOption(const std::string& name, long long fallback) const
{
    auto v = option(name);
    if (!v)
        return fallback;
    try {
        std::size_t used = 0;
        long long n = std::stoll(*v, &used);
        if (used != v->size())
            throw std::invalid_argument("trailing");
        return n;
    } catch (const std::exception&) {
        throw UsageError("option --" + name + " takes an integer, not \"" + *v + "\"");
    }
}

std::string CliArgs::requirePositional(std::size_t index, const std::string& what) const
{
    if (index >= positionals_.size())
        throw UsageError("missing " + what);
    return positionals_[index];
}

} // namespace nesy::cli
