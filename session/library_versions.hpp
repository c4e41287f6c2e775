#pragma once
/// Versions of the libraries the `peak` binary is built with, for run_manifest.json.

#include <vector>

#include "evidence/evidence_pack.hpp"

namespace peak::session {

/// Libraries whose version is known at compile time (header macros, or CMake for CAF), plus
/// the compiler and peak itself. simdjson and sqlite are added by the evidence writer.
/// prometheus-cpp is absent: it ships no version macro.
[[nodiscard]] std::vector<evidence::library_version> library_versions();

}  // namespace peak::session
