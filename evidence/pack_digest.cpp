#include "evidence/pack_digest.hpp"

#include <fstream>
#include <sstream>

#include "evidence/evidence_pack.hpp"
#include "evidence/json.hpp"
#include "evidence/sha256.hpp"

namespace peak::evidence {

bool is_deterministic_file(std::string_view name) {
  return name != pack_file::manifest && name.find("wall_clock") == std::string_view::npos;
}

std::vector<std::string> dropped_keys_for(std::string_view name) {
  std::vector<std::string> keys = wall_clock_keys();
  if (name == pack_file::run_manifest) {
    for (const auto& k : run_manifest_context_keys())
      keys.push_back(k);
  }
  return keys;
}

bool deterministic_content(const std::filesystem::path& dir, std::string_view name,
                           std::string& content, std::string& error) {
  const auto path = dir / std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open " + path.string();
    return false;
  }
  std::ostringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  const bool is_json = name.size() > 5 && name.substr(name.size() - 5) == ".json";
  if (!is_json) {
    content = std::move(text);
    return true;
  }
  std::string parse_error;
  if (!json_canonical(text, dropped_keys_for(name), content, &parse_error)) {
    error = path.string() + " is not valid JSON: " + parse_error;
    return false;
  }
  return true;
}

bool determinism_digest(const std::filesystem::path& dir, const std::vector<std::string>& names,
                        std::string& digest, std::string& error) {
  sha256 h;
  h.update("peak.determinism_digest.v1\n");
  for (const auto& name : names) {
    if (!is_deterministic_file(name))
      continue;
    std::string content;
    if (!deterministic_content(dir, name, content, error))
      return false;
    h.update(name);
    h.update("\n");
    h.update(sha256::hash_hex(content));
    h.update("\n");
  }
  digest = to_hex(h.finish());
  return true;
}

}  // namespace peak::evidence
