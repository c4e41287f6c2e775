#include "evidence/pack_compare.hpp"

#include <simdjson.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "evidence/evidence_pack.hpp"
#include "evidence/json.hpp"
#include "evidence/pack_digest.hpp"

namespace peak::evidence {
namespace fs = std::filesystem;
namespace {

bool list_files(const fs::path& dir, std::set<std::string>& out, std::string& error) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    error = dir.string() + " is missing or not a directory";
    return false;
  }
  fs::directory_iterator it(dir, ec);
  if (ec) {
    error = "cannot list " + dir.string() + ": " + ec.message();
    return false;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) {
      error = "cannot list " + dir.string() + ": " + ec.message();
      return false;
    }
    if (it->is_regular_file(ec))
      out.insert(it->path().filename().string());
  }
  return true;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string clip(std::string_view s) {
  constexpr std::size_t max = 160;
  if (s.size() <= max)
    return std::string(s);
  return std::string(s.substr(0, max)) + "...";
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

std::string context_value(const std::string& text, const char* pointer) {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  simdjson::dom::element v;
  if (p.parse(text).get(root) != simdjson::SUCCESS ||
      root.at_pointer(pointer).get(v) != simdjson::SUCCESS)
    return "(absent)";
  std::string_view s;
  bool b = false;
  if (v.get_string().get(s) == simdjson::SUCCESS)
    return std::string(s);
  if (v.get_bool().get(b) == simdjson::SUCCESS)
    return b ? "true" : "false";
  return simdjson::minify(v);
}

}  // namespace

std::string describe(const pack_difference& d) {
  std::string s = d.file;
  if (!d.where.empty())
    s += (d.where.front() == '/' ? " " : " ") + d.where;
  s += ": " + (d.left.empty() ? std::string("\"\"") : d.left) + "  vs  " +
       (d.right.empty() ? std::string("\"\"") : d.right);
  return s;
}

pack_comparison compare_packs(const fs::path& left, const fs::path& right,
                              std::size_t max_differences_per_file) {
  pack_comparison result;
  std::set<std::string> files_left;
  std::set<std::string> files_right;
  if (!list_files(left, files_left, result.error) || !list_files(right, files_right, result.error))
    return result;

  std::set<std::string> all(files_left);
  all.insert(files_right.begin(), files_right.end());
  for (const auto& name : all) {
    if (!is_deterministic_file(name))
      continue;
    const bool in_left = files_left.count(name) != 0;
    const bool in_right = files_right.count(name) != 0;
    if (!in_left || !in_right) {
      result.details.push_back(
          {name, "", in_left ? "present" : "(absent)", in_right ? "present" : "(absent)"});
      continue;
    }
    ++result.files_compared;
    std::string a;
    std::string b;
    std::string error;
    if (!deterministic_content(left, name, a, error) ||
        !deterministic_content(right, name, b, error)) {
      result.details.push_back({name, "", "unreadable", error});
      continue;
    }
    if (a == b)
      continue;
    const bool is_json = name.size() > 5 && name.substr(name.size() - 5) == ".json";
    if (is_json) {
      std::vector<json_difference> diffs;
      if (json_diff(a, b, dropped_keys_for(name), diffs, max_differences_per_file, &error)) {
        for (auto& d : diffs)
          result.details.push_back({name, d.path, clip(d.left), clip(d.right)});
        if (!diffs.empty())
          continue;
      }
      result.details.push_back({name, "", "content differs", "content differs"});
      continue;
    }
    const auto la = lines_of(a);
    const auto lb = lines_of(b);
    std::size_t listed = 0;
    const std::size_t n = std::max(la.size(), lb.size());
    for (std::size_t i = 0; i < n && listed < max_differences_per_file; ++i) {
      const std::string_view x = i < la.size() ? la[i] : std::string_view("(absent)");
      const std::string_view y = i < lb.size() ? lb[i] : std::string_view("(absent)");
      if (x != y) {
        // Show both lines from a little before their first differing character.
        std::size_t at = 0;
        while (at < x.size() && at < y.size() && x[at] == y[at])
          ++at;
        const std::size_t from = at > 40 ? at - 40 : 0;
        const std::string lead = from > 0 ? "..." : "";
        const std::string where = "line " + std::to_string(i + 1) +
                                  (from > 0 ? ", column " + std::to_string(at + 1) : "");
        result.details.push_back({name, where, lead + clip(x.substr(std::min(from, x.size()))),
                                  lead + clip(y.substr(std::min(from, y.size())))});
        ++listed;
      }
    }
    if (listed == 0)  // same lines, different bytes (e.g. a trailing newline)
      result.details.push_back({name, "", "bytes differ", "bytes differ"});
    if (la.size() != lb.size())
      result.details.push_back(
          {name, "line count", std::to_string(la.size()), std::to_string(lb.size())});
  }

  // Context: informational only.
  const std::string run_manifest(pack_file::run_manifest);
  if (files_left.count(run_manifest) != 0 && files_right.count(run_manifest) != 0) {
    const std::string a = read_text(left / run_manifest);
    const std::string b = read_text(right / run_manifest);
    for (const char* pointer : {"/run_id", "/git/commit", "/git/dirty", "/tool/version",
                                "/tool/compiler", "/tool/build_type", "/machine/hostname",
                                "/machine/cpu_model", "/run_reason", "/operator_id"}) {
      const std::string x = context_value(a, pointer);
      const std::string y = context_value(b, pointer);
      if (x != y)
        result.context.push_back({run_manifest, pointer, x, y});
    }
  }

  std::string error;
  const std::vector<std::string> names_left(files_left.begin(), files_left.end());
  const std::vector<std::string> names_right(files_right.begin(), files_right.end());
  if (!determinism_digest(left, names_left, result.digest_left, error))
    result.digest_left = "unavailable: " + error;
  if (!determinism_digest(right, names_right, result.digest_right, error))
    result.digest_right = "unavailable: " + error;
  if (!result.error.empty())
    return result;
  for (const auto& d : result.details)
    result.differences.push_back(describe(d));
  result.exit_code = result.details.empty() ? 0 : 1;
  result.identical = result.exit_code == 0;
  return result;
}

}  // namespace peak::evidence
