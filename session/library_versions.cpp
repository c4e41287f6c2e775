#include "session/library_versions.hpp"

#include <fmt/core.h>
#include <spdlog/version.h>
#include <toml++/impl/version.h>  // the macros only; toml++/toml.h would compile the parser

#include <CLI/Version.hpp>
#include <string>

#ifndef PEAK_VERSION
#define PEAK_VERSION "0.0.0"
#endif
#ifndef PEAK_CAF_VERSION
#define PEAK_CAF_VERSION "unknown"
#endif

namespace peak::session {
namespace {

std::string dotted(long major, long minor, long patch) {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::string compiler() {
#if defined(__clang__)
  return "clang " + dotted(__clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
  return "gcc " + dotted(__GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

}  // namespace

std::vector<evidence::library_version> library_versions() {
  return {
      {"caf", PEAK_CAF_VERSION},
      {"spdlog", dotted(SPDLOG_VER_MAJOR, SPDLOG_VER_MINOR, SPDLOG_VER_PATCH)},
      {"fmt", dotted(FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100)},
      {"tomlplusplus", dotted(TOML_LIB_MAJOR, TOML_LIB_MINOR, TOML_LIB_PATCH)},
      {"cli11", CLI11_VERSION},
      {"compiler", compiler()},
      {"peak", PEAK_VERSION},
  };
}

}  // namespace peak::session
