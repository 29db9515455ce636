#include "voice/restricted_domains_rule.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "voice/restricted_domains.hpp"

namespace agent::voice {

namespace {
constexpr std::string_view kVoiceServices = "Device.Services.VoiceService.";
constexpr std::string_view kDomainsName = "X_PHONECWMP_RestrictedAccessDomains";
constexpr std::array<std::string_view, 3> kServerNames = {"ProxyServer", "RegistrarServer",
                                                          "OutboundProxy"};

// The instance paths ("...VoiceService.1.") directly below a table.
std::vector<std::string> instances(const datamodel::Model& model, const std::string& table) {
    std::vector<std::string> paths;
    if (auto names = model.get_names(table, true)) {
        for (const datamodel::NameInfo& name : *names) {
            if (name.path.ends_with('.')) paths.push_back(name.path);
        }
    }
    return paths;
}

bool written(const datamodel::ProposedState& state, const std::string& path) {
    const auto& paths = state.written();
    return std::find(paths.begin(), paths.end(), path) != paths.end();
}
}  // namespace

void register_restricted_domains_rule(datamodel::Model& model) {
    const std::string service = std::string(kVoiceServices) + "{i}.";
    const std::string network = service + "SIP.Network.{i}.";
    std::vector<std::string> watched = {service + std::string(kDomainsName)};
    for (const std::string_view name : kServerNames) watched.push_back(network + std::string(name));

    model.add_rule(std::move(watched), [&model](const datamodel::ProposedState& state) {
        std::vector<datamodel::Error> errors;
        for (const std::string& voice : instances(model, std::string(kVoiceServices))) {
            const std::string domains_path = voice + std::string(kDomainsName);
            const std::string list = state.value(domains_path).value_or("");
            const std::vector<std::string> domains = parse_domain_list(list);
            if (domains.empty()) continue;
            for (const std::string& net : instances(model, voice + "SIP.Network.")) {
                for (const std::string_view name : kServerNames) {
                    const std::string path = net + std::string(name);
                    const std::string server = state.value(path).value_or("");
                    if (server.empty() || host_within_domains(server, domains)) continue;
                    if (written(state, path) || !written(state, domains_path)) {
                        errors.push_back({datamodel::ErrorCode::InvalidValue, path,
                                          "'" + server +
                                              "' is outside the restricted access domains '" +
                                              list + "'"});
                    } else {
                        errors.push_back(
                            {datamodel::ErrorCode::InvalidValue, domains_path,
                             "the domains leave " + path + " ('" + server + "') outside"});
                    }
                }
            }
        }
        // One error per parameter: a domain list refused for two servers
        // is one fault entry.
        std::sort(errors.begin(), errors.end(),
                  [](const auto& a, const auto& b) { return a.path < b.path; });
        errors.erase(std::unique(errors.begin(), errors.end(),
                                 [](const auto& a, const auto& b) { return a.path == b.path; }),
                     errors.end());
        return errors;
    });
}

}  // namespace agent::voice
